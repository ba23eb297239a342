#!/usr/bin/env python3
"""Benchmark: the catalogue's search against Material's own search, on the same site.

For each N (default 1,000 and 5,000 synthetic, fictitious cases) this builds two sites in
one run from the same cases:

- **ours**: the repository's configuration (no Material search plugin; the header search
  leads to ``/katalog/``, which loads the case list, the search index's term list and only
  the shards of postings the query needs; ``praxisatlas.search.index``);
- **baseline**: the same site with Material's ``search`` plugin enabled, Material's own
  header partials, and case pages indexed (their ``search: exclude`` removed).

Each site is served on 127.0.0.1 with gzip (as a static host serves it) and measured in
headless Chromium (Debian's ``/usr/bin/chromium``):

- bytes transferred (gzip) and time from navigation start until the first result for a
  query is rendered (taken in the page: ``performance.now()`` when a MutationObserver sees
  it, so Playwright's polling is not counted), two ways:

  * **link**: navigate to the query's URL, as the header search form does: ours
    ``/katalog/?q=…``; Material ``/?q=…`` (Material opens its search with the ``q``
    parameter and runs it). Nothing but the browser between navigation and result.
  * **typed**: open the page (ours ``/katalog/``, Material the home page) and let
    Playwright type the query as soon as the HTML is parsed; also the part after the
    first ``input`` event. The time before it is page load plus Playwright's own latency
    in delivering the keystrokes (reported as "driver"), which no visitor has;
- bytes transferred by an ordinary case-page view and by a ``/katalog/`` view, both
  without searching (budget 300 KB gzip), and the size of the ``/katalog/`` HTML itself
  (budget 60 KB gzip at any N).

It also times, in-process, the build of the search index (``build_search_index``: terms
and postings, sharded) and of the case list (``build_case_list``, ``faelle.json``).
Prints a table with both figures and the ratios. Not a test: timings depend on the machine.

    python scripts/bench_search.py            # N = 1000 and 5000
    python scripts/bench_search.py 1000 --runs 5
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

# Test-data generation lives in tests/, outside the runtime package.
_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))

import argparse
import datetime as dt
import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUERY = "Schulen"
TODAY = "2026-11-22"
PAGE_BUDGET = 300 * 1000
HTML_BUDGET = 60 * 1000

# Runs in a fresh interpreter so each build is measured on its own; the baseline variant
# removes the case pages' "search: exclude" so Material indexes them (what Material does
# by default).
BUILD_SNIPPET = """
import sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
if sys.argv[2] == "baseline":
    import dataclasses
    from praxisatlas import generators
    def include_in_search(generate):
        def wrapped(catalogue, settings):
            return [
                dataclasses.replace(f, source=f.content.replace(EXCLUDE, ""))
                if f.path.startswith("faelle/") else f
                for f in generate(catalogue, settings)
            ]
        return wrapped
    EXCLUDE = 'search: {"exclude": true}\\n'
    generators.GENERATORS[:] = [include_in_search(g) for g in generators.GENERATORS]
start = time.perf_counter()
build(load_config(sys.argv[1]))
print(f"{time.perf_counter() - start:.2f}")
"""


def write_config(work: Path, cases: Path, variant: str) -> Path:
    data: dict[str, Any] = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    overrides = REPO / "overrides"
    plugins: list[Any] = [
        {"praxisatlas": {"cases_dir": str(cases), "today": TODAY, "edit_url": ""}}
    ]
    if variant == "baseline":
        # Material's own header and search partials, everything else of ours.
        overrides = work / "overrides-baseline"
        shutil.copytree(REPO / "overrides", overrides)
        for name in ("header.html", "search.html"):
            (overrides / "partials" / name).unlink(missing_ok=True)
        plugins.insert(0, "search")
    data["docs_dir"] = str(REPO / "docs")
    data["site_dir"] = str(work / f"site-{variant}")
    data["theme"] = {**data["theme"], "custom_dir": str(overrides)}
    data["plugins"] = plugins
    config = work / f"mkdocs-{variant}.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return config


def build(config: Path, variant: str) -> float:
    result = subprocess.run(
        [sys.executable, "-c", BUILD_SNIPPET, str(config), variant],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"Build fehlgeschlagen ({variant}):\n{result.stderr[-3000:]}")
    return float(result.stdout.strip().splitlines()[-1])


class GzipServer:
    """Static files over HTTP on 127.0.0.1, gzip-encoded; counts bytes sent per request."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sent: list[tuple[str, int]] = []
        self._cache: dict[Path, bytes] = {}
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if not path.is_file():
                    self.send_error(404)
                    return
                body = outer._cache.get(path)
                if body is None:
                    body = outer._cache[path] = gzip.compress(path.read_bytes(), 6)
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                outer.sent.append((self.path, len(body)))

        handler = functools.partial(Handler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def bytes_sent(self) -> int:
        return sum(size for _, size in self.sent)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# Marks (in ms since navigation start) when the query is typed and when the first result
# for it is rendered.
OBSERVE_TYPING = """
document.addEventListener('input', () => {
  if (!window.__typed) window.__typed = performance.now();
}, true);
"""
OBSERVE_OURS = """
new MutationObserver(() => {
  const count = document.getElementById('pa-anzahl');
  if (!window.__first && count && count.textContent.includes('„QUERY_TEXT“')
      && document.querySelector('#pa-liste .pa-treffer__titel')) window.__first = performance.now();
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
""".replace("QUERY_TEXT", QUERY)
OBSERVE_MATERIAL = """
new MutationObserver(() => {
  if (!window.__first && document.querySelector('.md-search-result__item'))
    window.__first = performance.now();
}).observe(document, {subtree: true, childList: true});
"""


@dataclass(frozen=True)
class Variant:
    """Where a site's search lives and how its first result is recognised."""

    page: str  # the page with the search field
    field: str  # its CSS selector
    observer: str  # init script setting window.__first

    def link(self, page: Any, server: GzipServer) -> dict[str, float]:
        """Navigate straight to the query's URL (what the header search form does)."""
        server.sent.clear()
        page.add_init_script(self.observer)
        page.goto(f"{server.url}{self.page}?q={QUERY}", wait_until="domcontentloaded")
        page.wait_for_function("() => window.__first", timeout=120_000)
        return {"first": page.evaluate("window.__first") / 1000, "bytes": server.bytes_sent()}

    def typed(self, page: Any, server: GzipServer) -> dict[str, float]:
        """Open the page and type the query as soon as its HTML is parsed."""
        server.sent.clear()
        page.add_init_script(OBSERVE_TYPING + self.observer)
        page.goto(f"{server.url}{self.page}", wait_until="domcontentloaded")
        page.click(self.field)  # Material's field is inline in the header at desktop width
        page.fill(self.field, QUERY)
        page.wait_for_function("() => window.__first", timeout=120_000)
        first, typed, parsed = page.evaluate(
            "[window.__first, window.__typed,"
            " performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]"
        )
        return {
            "first": first / 1000,
            "after_typing": (first - typed) / 1000,
            "driver": (typed - parsed) / 1000,
            "bytes": server.bytes_sent(),
        }


VARIANTS = {
    "ours": Variant("katalog/", "#pa-q", OBSERVE_OURS),
    "baseline": Variant("", ".md-search__input", OBSERVE_MATERIAL),
}


def page_view(page: Any, server: GzipServer, path: str) -> int:
    server.sent.clear()
    page.goto(f"{server.url}{path}", wait_until="load")
    page.wait_for_timeout(1500)  # Material fetches search_index.json after load
    return server.bytes_sent()


def html_size(server: GzipServer, path: str) -> int:
    """Bytes (gzip) of the page's HTML alone."""
    return len(gzip.compress((server.root / path / "index.html").read_bytes(), 6))


def index_build_time(cases: Path) -> tuple[float, float]:
    from praxisatlas.cases.pipeline import load_catalogue
    from praxisatlas.search.index import build_case_list, build_search_index

    catalogue = load_catalogue(cases, today=dt.date.fromisoformat(TODAY))
    start = time.perf_counter()
    build_search_index(catalogue)
    middle = time.perf_counter()
    build_case_list(catalogue)
    return middle - start, time.perf_counter() - middle


def kib(n: float) -> str:
    return f"{n / 1024:,.0f} KiB".replace(",", ".")


def measure(n: int, runs: int, keep: Path | None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from tests.synthetic import write_synthetic_cases

    work = Path(tempfile.mkdtemp(prefix=f"bench-search-{n}-", dir=keep))
    cases = work / "cases"
    cases.mkdir()
    write_synthetic_cases(cases, n)
    result: dict[str, Any] = {"n": n}
    result["index_s"], result["list_s"] = index_build_time(cases)
    for variant in ("ours", "baseline"):
        result[f"build_{variant}_s"] = build(write_config(work, cases, variant), variant)
    case_page = f"faelle/{sorted(p.stem for p in cases.glob('*.md'))[0]}/"
    servers = {name: GzipServer(work / f"site-{name}") for name in VARIANTS}
    samples: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def fresh_page() -> Any:
            return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()

        # Alternating rounds: this machine's speed drifts within minutes.
        for _ in range(runs):
            for name, variant in VARIANTS.items():
                for scenario in ("link", "typed"):
                    page = fresh_page()
                    figures = getattr(variant, scenario)(page, servers[name])
                    page.context.close()
                    for key, value in figures.items():
                        samples.setdefault(f"{scenario}_{key}_{name}", []).append(value)
        for name in VARIANTS:
            page = fresh_page()
            result[f"page_{name}"] = page_view(page, servers[name], case_page)
            page.context.close()
        page = fresh_page()
        result["katalog_view"] = page_view(page, servers["ours"], "katalog/")
        page.context.close()
        result["katalog_html"] = html_size(servers["ours"], "katalog")
        for server in servers.values():
            server.close()
        browser.close()
    result.update({key: statistics.median(values) for key, values in samples.items()})
    if keep is None:
        shutil.rmtree(work)
    return result


def report(r: dict[str, Any]) -> None:
    n = r["n"]
    print(f"\nN = {n:,}".replace(",", "."))
    print(
        f"  index build (in-process): search index (terms, shards) {r['index_s']:.2f} s,"
        f" case list {r['list_s']:.2f} s"
    )
    print(
        f"  site build: ours {r['build_ours_s']:.1f} s, with Material search "
        f"{r['build_baseline_s']:.1f} s"
    )
    print("                                      ours      Material    ratio (Material/ours)")

    def row(label: str, key: str, bytes_: bool = False) -> None:
        ours, theirs = r[f"{key}_ours"], r[f"{key}_baseline"]
        text = (
            f"{kib(ours):>10} {kib(theirs):>12}" if bytes_ else f"{ours:>8.2f} s {theirs:>10.2f} s"
        )
        print(f"  {label:<34}{text}    {theirs / ours:.1f}×")

    row("bytes until first result", "link_bytes", bytes_=True)
    row("first result, link (?q=)", "link_first")
    row("first result, typed by Playwright", "typed_first")
    row("  of which after typing", "typed_after_typing")
    row("  of which driver latency", "typed_driver")
    print(
        f"  {'case page view (gzip)':<34}{kib(r['page_ours']):>10} {kib(r['page_baseline']):>12}"
        f"    budget {PAGE_BUDGET // 1000} KB: "
        + ("eingehalten" if r["page_ours"] <= PAGE_BUDGET else "ÜBERSCHRITTEN")
    )
    print(
        f"  {'/katalog/ view without search':<34}{kib(r['katalog_view']):>10}"
        f"{'':>13}    budget {PAGE_BUDGET // 1000} KB: "
        + ("eingehalten" if r["katalog_view"] <= PAGE_BUDGET else "ÜBERSCHRITTEN")
    )
    print(
        f"  {'/katalog/ HTML (gzip)':<34}{kib(r['katalog_html']):>10}"
        f"{'':>13}    budget {HTML_BUDGET // 1000} KB: "
        + ("eingehalten" if r["katalog_html"] <= HTML_BUDGET else "ÜBERSCHRITTEN")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3, help="Messungen je Variante (Median)")
    parser.add_argument("--keep", type=Path, help="Arbeitsverzeichnis behalten (hier anlegen)")
    args = parser.parse_args()
    for n in args.sizes:
        report(measure(n, args.runs, args.keep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
