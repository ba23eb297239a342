#!/usr/bin/env python3
"""Benchmark: how well the catalogue's search finds what county staff look for.

A judged set (``bench_search_quality.yml`` next to this script) holds German queries as
county staff type them (single words, inflections, compounds and split words, two- and
three-word queries, abbreviations, typos, place names, questions), each with the ids of
the cases that are relevant to it, and the ``pool`` of case ids it was judged against.

This builds two sites from the repository's ``cases/`` in one run (as
``bench_search.py`` does): ours, and the same site with Material's built-in search
indexing the case pages. Each query runs in headless Chromium on both — ours at
``/katalog/?q=…``, Material's from the header search (``/?q=…``) — and the case ids of
the results are read in the order shown. Results outside the pool (cases added after
the set was judged) are skipped, not counted as wrong; cases removed since then are
dropped from the pool and the relevant lists. Reported per search engine:

- mean recall@10: relevant cases among the first ten results, divided by the number of
  relevant cases (at most ten, so a query with 23 relevant cases can reach 1.0);
- mean reciprocal rank of the first relevant result;
- the number of queries with relevant cases but no result at all;
- recall@10 per kind of query.

Not a test: the figures measure the search, they do not gate the build.

    python scripts/bench_search_quality.py
    python scripts/bench_search_quality.py --show 5     # also print the first results
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from bench_search import CHROMIUM, CHROMIUM_ARGS, REPO, GzipServer, build, write_config

JUDGED = Path(__file__).with_suffix(".yml")
CUTOFF = 10

# Ours: the count line names the query once the result is rendered.
OURS_DONE = """q => {
  const root = document.querySelector('#pa-katalog[data-bereit]');
  const count = document.getElementById('pa-anzahl');
  return root && count && count.textContent.includes('„' + q + '“');
}"""
OURS_RESULTS = "els => els.map(a => a.getAttribute('href'))"
# Material: the result meta says how many documents matched once the search has run.
MATERIAL_DONE = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta && /passende|Keine Suchergebnisse|Kein|[0-9]/.test(meta.textContent)
    && !/initialisiert|Suchbegriff eingeben/.test(meta.textContent);
}"""


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    relevant: frozenset[str]


def load_judged(path: Path = JUDGED) -> tuple[frozenset[str], list[Query]]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    pool = frozenset(data["pool"])
    queries = [
        Query(str(q["query"]), str(q["kind"]), frozenset(q["relevant"] or ()))
        for q in data["queries"]
    ]
    outside = {case for q in queries for case in q.relevant} - pool
    if outside:
        sys.exit(f"Relevante Fälle außerhalb des Pools: {sorted(outside)}")
    return pool, queries


def real_config(work: Path, cases: Path, variant: str) -> Path:
    """``bench_search``'s configuration, dated today: the real cases were reviewed lately."""
    config = write_config(work, cases, variant)
    data = yaml.safe_load(config.read_text("utf-8"))
    for plugin in data["plugins"]:
        if isinstance(plugin, dict) and "praxisatlas" in plugin:
            plugin["praxisatlas"]["today"] = dt.date.today().isoformat()
    config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return config


def case_ids(hrefs: list[str]) -> list[str]:
    """Case ids in order of first appearance (Material lists a page's sections too)."""
    seen: list[str] = []
    for href in hrefs:
        path = href.split("#", 1)[0].rstrip("/")
        parts = path.split("/")
        if len(parts) >= 2 and parts[-2] == "faelle" and parts[-1] not in seen:
            seen.append(parts[-1])
    return seen


def run_ours(page: Any, base: str, text: str) -> list[str]:
    page.goto(f"{base}katalog/?q={quote(text)}", wait_until="domcontentloaded")
    page.wait_for_function(OURS_DONE, arg=text.strip(), timeout=60_000)
    return case_ids(page.eval_on_selector_all("#pa-liste .pa-treffer__titel a", OURS_RESULTS))


def run_material(page: Any, base: str, text: str) -> list[str]:
    page.goto(f"{base}?q={quote(text)}", wait_until="domcontentloaded")
    page.wait_for_function(MATERIAL_DONE, timeout=120_000)
    page.wait_for_timeout(100)
    return case_ids(page.eval_on_selector_all(".md-search-result__item > a", OURS_RESULTS))


def score(results: list[str], query: Query, pool: frozenset[str]) -> dict[str, float]:
    ranked = [case for case in results if case in pool]  # later cases: not judged
    hits = [i for i, case in enumerate(ranked) if case in query.relevant]
    top = sum(1 for i in hits if i < CUTOFF)
    return {
        "recall": top / min(len(query.relevant), CUTOFF),
        "rr": 1 / (hits[0] + 1) if hits else 0.0,
        "empty": float(not ranked),
    }


def measure(show: int, keep: Path | None) -> dict[str, list[dict[str, float]]]:
    from playwright.sync_api import sync_playwright

    pool, queries = load_judged()
    # Cases removed since the judging can be found by no search: judge without them.
    present = {path.stem for path in (REPO / "cases").glob("*.md")}
    if pool - present:
        print(f"Nicht mehr im Katalog (ignoriert): {', '.join(sorted(pool - present))}")
        pool = pool & present
        queries = [Query(q.text, q.kind, q.relevant & pool) for q in queries]
    judged = [q for q in queries if q.relevant]
    work = Path(tempfile.mkdtemp(prefix="bench-search-quality-", dir=keep))
    cases = REPO / "cases"
    for variant in ("ours", "baseline"):
        build(real_config(work, cases, variant), variant)
    servers = {name: GzipServer(work / f"site-{name}") for name in ("ours", "baseline")}
    runners = {"ours": run_ours, "baseline": run_material}
    scores: dict[str, list[dict[str, float]]] = {"ours": [], "baseline": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, runner in runners.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            for query in judged:
                results = runner(page, servers[name].url, query.text)
                scores[name].append(score(results, query, pool))
                if show:
                    marks = [
                        ("+" if c in query.relevant else "-" if c in pool else "?") + c
                        for c in results[:show]
                    ]
                    print(f"  [{name}] {query.text}: {' '.join(marks) or '(nichts)'}")
            context.close()
        browser.close()
    for server in servers.values():
        server.close()
    if keep is None:
        shutil.rmtree(work)
    report(judged, scores, len(queries), len(pool))
    return scores


def report(
    judged: list[Query], scores: dict[str, list[dict[str, float]]], total: int, pool: int
) -> None:
    print(
        f"\n{total} Anfragen, davon {len(judged)} mit relevanten Fällen; "
        f"beurteilt gegen {pool} Fälle (Pool)"
    )
    print(f"{'':44}{'Praxisatlas':>12}{'Material':>12}")

    def row(label: str, values: dict[str, str]) -> None:
        print(f"  {label:<42}{values['ours']:>12}{values['baseline']:>12}")

    def mean(name: str, key: str, kinds: set[str] | None = None) -> float:
        values = [
            s[key]
            for q, s in zip(judged, scores[name], strict=True)
            if kinds is None or q.kind in kinds
        ]
        return statistics.fmean(values) if values else float("nan")

    names = ("ours", "baseline")
    row(f"mittlerer Recall@{CUTOFF}", {n: f"{mean(n, 'recall'):.2f}" for n in names})
    row("mittlerer reziproker Rang (MRR)", {n: f"{mean(n, 'rr'):.2f}" for n in names})
    row(
        "Anfragen mit relevanten Fällen, aber ohne Treffer",
        {n: f"{int(sum(s['empty'] for s in scores[n]))} von {len(judged)}" for n in names},
    )
    for kind in sorted({q.kind for q in judged}):
        count = sum(1 for q in judged if q.kind == kind)
        row(
            f"Recall@{CUTOFF}: {kind} ({count})",
            {n: f"{mean(n, 'recall', {kind}):.2f}" for n in names},
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="erste Treffer je Anfrage zeigen")
    parser.add_argument("--keep", type=Path, help="Arbeitsverzeichnis behalten (hier anlegen)")
    args = parser.parse_args()
    measure(args.show, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
