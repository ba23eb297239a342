#!/usr/bin/env python3
"""Benchmark: full Praxisatlas build against a plain MkDocs baseline, in one run.

For each N, writes N synthetic (fictitious) cases into a temporary directory – never
into ``cases/`` – and builds each variant ``--runs`` times (default 3), alternating,
each time in a fresh process:

- **plugin**: the repository's ``mkdocs.yml`` (all plugins, generators, nav, theme) with
  the plugin reading the synthetic cases;
- **baseline**: the same Material configuration and hand-written docs *without* the
  praxisatlas plugin, with each case body as an ordinary page ``faelle/<id>.md`` (title
  as heading, excluded from Material's search like the real case pages), not in the nav.

Prints the median wall time and CPU time (the plugin's includes its data-file process,
see ``praxisatlas/parallel.py``), peak memory (``RUSAGE_CHILDREN`` of the ``mkdocs
build`` process, measured by a fresh wrapper per run: the largest single process; the
data-file process shares most pages with its parent copy-on-write), output size and
the ratios, and checks the targets of issue 3. Usage::

    .venv/bin/python scripts/bench_build.py --n 1000 5000 10000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.sitebuild import repo_config, write_site  # noqa: E402
from tests.synthetic import write_synthetic_cases  # noqa: E402

GIB = 1024**3
TODAY = "2026-11-22"


def _measure_child(config_file: str) -> None:
    """Wrapper mode: run ``mkdocs build`` once, print its time and peak memory as JSON."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config_file],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = usage.ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "seconds": seconds,
                # CPU time as well: on a shared machine wall time also measures the neighbours.
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_bytes": peak_kib * 1024,
                "returncode": result.returncode,
                "stderr": result.stderr[-3000:],
            }
        )
    )


def _run(config_file: Path) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(config_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    if data["returncode"] != 0:
        raise SystemExit(f"Build fehlgeschlagen ({config_file}):\n{data['stderr']}")
    site = yaml.safe_load(config_file.read_text(encoding="utf-8"))["site_dir"]
    files = [p for p in Path(site).rglob("*") if p.is_file()]
    data["size_bytes"] = sum(p.stat().st_size for p in files)
    data["files"] = len(files)
    return data


def _split(text: str) -> tuple[dict[str, Any], str]:
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta, body


def _baseline_site(root: Path, cases_dir: Path) -> Path:
    """Same theme config and docs, case bodies as plain pages, no praxisatlas plugin."""
    config_file = write_site(root / "baseline")
    data = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    data["plugins"] = [
        p
        for p in data.get("plugins") or []
        if p != "praxisatlas" and not (isinstance(p, dict) and "praxisatlas" in p)
    ]
    # The repository's nav names generated pages that do not exist here.
    data.pop("nav", None)
    data["not_in_nav"] = "/faelle/\n"
    docs = Path(data["docs_dir"])
    faelle = docs / "faelle"
    faelle.mkdir()
    for path in sorted(cases_dir.glob("*.md")):
        meta, body = _split(path.read_text(encoding="utf-8"))
        title = str(meta["title"]).replace("\n", " ")
        page = f"---\nsearch:\n  exclude: true\n---\n\n# {title}\n\n{meta['summary']}\n\n{body}"
        (faelle / path.name).write_text(page, encoding="utf-8")
    config_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config_file


def _plugin_site(root: Path, cases_dir: Path) -> Path:
    return write_site(root / "plugin", plugin_options={"cases_dir": str(cases_dir), "today": TODAY})


def _fmt(data: dict[str, Any]) -> str:
    return (
        f"{data['seconds']:7.1f} s (CPU {data['cpu_seconds']:6.1f} s)  "
        f"{data['peak_bytes'] / 2**20:7.0f} MiB  "
        f"{data['size_bytes'] / 2**20:8.1f} MiB  {data['files']:7d} Dateien"
    )


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median time and CPU time over the runs; the largest peak memory; sizes of the last."""
    merged = dict(runs[-1])
    for key in ("seconds", "cpu_seconds"):
        merged[key] = statistics.median(run[key] for run in runs)
    merged["peak_bytes"] = max(run["peak_bytes"] for run in runs)
    merged["runs"] = [{k: run[k] for k in ("seconds", "cpu_seconds")} for run in runs]
    return merged


def bench(n: int, seed: int, keep: bool, runs: int) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix=f"praxisatlas-bench-{n}-"))
    try:
        cases_dir = root / "cases"
        write_synthetic_cases(cases_dir, n, seed=seed)
        configs = {
            "baseline": _baseline_site(root, cases_dir),
            "plugin": _plugin_site(root, cases_dir),
        }
        measured: dict[str, list[dict[str, Any]]] = {"baseline": [], "plugin": []}
        # Interleaved, alternating which goes first: this machine's speed drifts by tens
        # of percent over minutes, so each ratio compares runs made close together.
        for index in range(runs):
            order = ("baseline", "plugin") if index % 2 == 0 else ("plugin", "baseline")
            for name in order:
                measured[name].append(_run(configs[name]))
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    baseline = _median_run(measured["baseline"])
    plugin = _median_run(measured["plugin"])
    ratio = {key: plugin[key] / baseline[key] for key in ("peak_bytes", "size_bytes")}
    # Times: the median of the per-round ratios, less sensitive to drift than a ratio of
    # medians.
    rounds = zip(measured["plugin"], measured["baseline"], strict=True)
    per_round = [{key: p[key] / b[key] for key in ("seconds", "cpu_seconds")} for p, b in rounds]
    for key in ("seconds", "cpu_seconds"):
        ratio[key] = statistics.median(r[key] for r in per_round)
    print(f"N = {n:,} (Median aus {runs} abwechselnden Läufen je Variante)".replace(",", "."))
    print(f"  Baseline (MkDocs ohne Plugin): {_fmt(baseline)}")
    print(f"  Praxisatlas (mit Plugin):      {_fmt(plugin)}")
    print(
        f"  Verhältnis Plugin/Baseline:    Zeit {ratio['seconds']:.2f}× "
        f"(CPU {ratio['cpu_seconds']:.2f}×), "
        f"Speicher {ratio['peak_bytes']:.2f}×, Größe {ratio['size_bytes']:.2f}×"
    )
    seconds = ", ".join(f"{r['seconds']:.2f}×" for r in per_round)
    print(f"  Zeitverhältnis je Runde:       {seconds}")
    if keep:
        print(f"  Dateien behalten in {root}")
    return {"n": n, "baseline": baseline, "plugin": plugin, "ratio": ratio}


def _check(results: dict[int, dict[str, Any]]) -> list[str]:
    """The targets of issue 3, for wall time and (less noisy on a shared machine) CPU time."""
    lines: list[str] = []

    def target(ok: bool, text: str) -> None:
        lines.append(f"  [{'ok' if ok else 'VERFEHLT'}] {text}")

    for key, name in (("seconds", "Wall"), ("cpu_seconds", "CPU")):
        if 5000 in results:
            r = results[5000]
            ratio = r["ratio"][key]
            target(ratio <= 1.3, f"{name}: N=5.000 ≤ 1,3 × Baseline ({ratio:.2f}×)")
            target(r["plugin"][key] <= 45, f"{name}: N=5.000 ≤ 45 s ({r['plugin'][key]:.1f} s)")
        if 10000 in results:
            seconds = results[10000]["plugin"][key]
            target(seconds <= 100, f"{name}: N=10.000 ≤ 100 s ({seconds:.1f} s)")
        if 5000 in results and 10000 in results:
            growth = results[10000]["plugin"][key] / results[5000]["plugin"][key]
            target(growth <= 2.2, f"{name}: Zeit 10.000/5.000 ≤ 2,2 ({growth:.2f})")
    if 10000 in results:
        peak = results[10000]["plugin"]["peak_bytes"]
        target(peak <= 2 * GIB, f"N=10.000: ≤ 2 GiB Spitzenspeicher ({peak / GIB:.2f} GiB)")
    busy = [
        n
        for n, r in results.items()
        for run in (r["baseline"], r["plugin"])
        if run["seconds"] > 1.3 * run["cpu_seconds"]
    ]
    if busy:
        lines.append(
            "  Hinweis: Wall-Zeit deutlich über der CPU-Zeit (N="
            + ", ".join(str(n) for n in sorted(set(busy)))
            + ") – die Maschine war ausgelastet; die CPU-Werte sind verlässlicher."
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="Zahl der Fälle")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="Läufe je Variante (Median)")
    parser.add_argument("--keep", action="store_true", help="Temporäre Dateien behalten")
    parser.add_argument("--json", type=Path, help="Ergebnisse zusätzlich als JSON schreiben")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure_child(args.measure)
        return 0
    repo_config()  # fail early if mkdocs.yml cannot be read
    results = {n: bench(n, args.seed, args.keep, args.runs) for n in args.n}
    checks = _check(results)
    if checks:
        print("Ziele (Issue 3):")
        print("\n".join(checks))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
