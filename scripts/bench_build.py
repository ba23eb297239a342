#!/usr/bin/env python3
"""Benchmark: the Praxisatlas build against plain MkDocs + Material on the same pages.

For each N, writes N synthetic (fictitious) cases into a temporary directory – never
into ``cases/`` – and builds, in alternating order per round, each in a fresh process:

- **baseline**: the repository's Material configuration and hand-written docs *without*
  the praxisatlas plugin, each case body an ordinary page ``faelle/<id>.md`` (title as
  heading, summary, body; excluded from Material's search like the real case pages), not
  in the nav;
- **kalt**: the repository's ``mkdocs.yml`` with the plugin reading the synthetic cases,
  with an empty cache;
- **warm**: the same again with the cache the previous build left (nothing changed).

Each run is measured from outside: wall time; CPU time (user + system) of the whole
process tree (``os.wait4`` counts every descendant the build waited for); and the peak
of the memory summed over the process tree (PSS from ``/proc/<pid>/smaps_rollup`` of the
build and all its descendants, sampled every 50 ms; Linux only). Prints medians and the
median of the per-round ratios against the baseline, then the targets of issue 16.

``--serve`` also measures ``mkdocs serve`` and ``mkdocs serve --dirty`` (which builds
again only the pages an edit changed): from saving one edited case to the line
"Reloading browsers", against the baseline's cold build time, and for comparison the
same edit to the baseline's page in plain MkDocs + Material's ``mkdocs serve``. Usage::

    .venv/bin/python scripts/bench_build.py --n 1000 5000 --runs 3 --serve
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.sitebuild import repo_config, write_site  # noqa: E402
from tests.synthetic import write_synthetic_cases  # noqa: E402

MIB = 1024**2
GIB = 1024**3
TODAY = "2026-11-22"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
ENV.pop("PRAXISATLAS_PRODUCTION", None)


# --- measuring a process tree ---------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _tree_pss(root: int) -> int:
    """PSS of ``root`` and all its descendants, in bytes (0 for vanished processes)."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as file:
                for line in file:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def measure(command: list[str], cwd: Path | None = None) -> dict[str, Any]:
    """Run ``command``; its wall time, tree CPU time, peak tree memory, exit code, log."""
    with tempfile.TemporaryFile() as log:
        data = _measure(command, cwd, log)
        log.seek(0)
        data["log"] = log.read().decode("utf-8", "replace")[-3000:]
    return data


def _measure(command: list[str], cwd: Path | None, log: Any) -> dict[str, Any]:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_bytes": peak,
        "returncode": process.returncode,
    }


# --- the sites ------------------------------------------------------------------------------


def _split(text: str) -> tuple[dict[str, Any], str]:
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta, body


def baseline_site(root: Path, cases_dir: Path) -> Path:
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


def _docs_dir(config_file: Path) -> Path:
    data = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    return config_file.parent / data["docs_dir"]


def plugin_site(root: Path, cases_dir: Path) -> Path:
    options = {"cases_dir": str(cases_dir), "today": TODAY}
    return write_site(root / "plugin", plugin_options=options)


def _build(config_file: Path, site_dir: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)]
    data = measure([*command, "--site-dir", str(site_dir)])
    if data["returncode"] != 0:
        raise SystemExit(f"Build fehlgeschlagen ({config_file}):\n{data['log']}")
    files = [p for p in site_dir.rglob("*") if p.is_file()]
    data["size_bytes"] = sum(p.stat().st_size for p in files)
    data["largest_file"] = max((p.stat().st_size, str(p.relative_to(site_dir))) for p in files)
    data["files"] = len(files)
    return data


# --- mkdocs serve ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_reloads(config_file: Path, cases_dir: Path, edits: int, *options: str) -> list[float]:
    """Seconds from saving an edited case to "Reloading browsers", per edit."""
    address = f"127.0.0.1:{_free_port()}"
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", address]
    command += options
    process = subprocess.Popen(
        command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()

    def wait_for(text: str) -> None:
        while True:
            try:
                line = lines.get(timeout=1800)
            except queue.Empty:
                raise SystemExit(f"mkdocs serve: kein '{text}'") from None
            if text in line:
                return

    try:
        wait_for("Serving on")
        case = sorted(cases_dir.glob("*.md"))[0]
        original = case.read_text(encoding="utf-8")
        times = []
        for index in range(edits):
            time.sleep(2)  # let the watcher settle
            start = time.perf_counter()
            case.write_text(original.replace("## Lösung", f"Änderung {index}.\n\n## Lösung", 1))
            wait_for("Reloading browsers")
            times.append(time.perf_counter() - start)
        case.write_text(original, encoding="utf-8")
        return times
    finally:
        process.terminate()
        process.wait(timeout=60)


# --- the benchmark --------------------------------------------------------------------------

VARIANTS = ("baseline", "kalt", "warm")


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(runs[-1])
    for key in ("seconds", "cpu_seconds", "peak_bytes"):
        merged[key] = statistics.median(run[key] for run in runs)
    merged["runs"] = [{k: run[k] for k in ("seconds", "cpu_seconds", "peak_bytes")} for run in runs]
    return merged


def bench(n: int, seed: int, runs: int, serve: bool, keep: bool) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix=f"praxisatlas-bench-{n}-"))
    try:
        cases_dir = root / "cases"
        write_synthetic_cases(cases_dir, n, seed=seed)
        baseline = baseline_site(root, cases_dir)
        plugin = plugin_site(root, cases_dir)
        cache_dir = plugin.parent / ".cache"
        measured: dict[str, list[dict[str, Any]]] = {name: [] for name in VARIANTS}
        for index in range(runs):
            # Alternating order: this machine's speed drifts over minutes, so each ratio
            # compares runs made close together. "warm" always follows "kalt".
            order = (("baseline", "kalt", "warm"), ("kalt", "warm", "baseline"))[index % 2]
            for name in order:
                if name == "kalt":
                    shutil.rmtree(cache_dir, ignore_errors=True)
                config = baseline if name == "baseline" else plugin
                measured[name].append(_build(config, root / f"site-{name}"))
                print(f"  N={n} Runde {index + 1}: {name:8} {_fmt(measured[name][-1])}", flush=True)
        reloads: list[float] = []
        dirty_reloads: list[float] = []
        base_reloads: list[float] = []
        if serve:
            reloads = serve_reloads(plugin, cases_dir, max(3, runs))
            dirty_reloads = serve_reloads(plugin, cases_dir, max(3, runs), "--dirty")
            # Context: how long plain MkDocs + Material takes to reload after the same edit.
            base_reloads = serve_reloads(baseline, _docs_dir(baseline) / "faelle", max(3, runs))
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    result: dict[str, Any] = {"n": n, **{name: _median(measured[name]) for name in VARIANTS}}
    base_runs = measured["baseline"]
    for name in ("kalt", "warm"):
        result[f"{name}_ratio"] = {
            key: statistics.median(
                run[key] / base[key] for run, base in zip(measured[name], base_runs, strict=True)
            )
            for key in ("seconds", "cpu_seconds", "peak_bytes")
        }
    if reloads:
        result["reload_seconds"] = statistics.median(reloads)
        result["reload_ratio"] = result["reload_seconds"] / result["baseline"]["seconds"]
        result["reloads"] = reloads
        result["dirty_reload_seconds"] = statistics.median(dirty_reloads)
        dirty = result["dirty_reload_seconds"]
        result["dirty_reload_ratio"] = dirty / result["baseline"]["seconds"]
        result["dirty_reloads"] = dirty_reloads
        result["baseline_reload_seconds"] = statistics.median(base_reloads)
    _report(result, runs)
    if keep:
        print(f"  Dateien behalten in {root}")
    return result


def _fmt(data: dict[str, Any]) -> str:
    return (
        f"Wall {data['seconds']:7.1f} s  CPU {data['cpu_seconds']:7.1f} s  "
        f"Speicher {data['peak_bytes'] / MIB:6.0f} MiB  "
        f"Ausgabe {data['size_bytes'] / MIB:7.1f} MiB in {data['files']} Dateien"
    )


def _report(result: dict[str, Any], runs: int) -> None:
    n = result["n"]
    print(f"N = {n:,} (Mediane aus {runs} abwechselnden Runden)".replace(",", "."))
    for name, label in (
        ("baseline", "MkDocs + Material"),
        ("kalt", "Praxisatlas kalt"),
        ("warm", "Praxisatlas warm"),
    ):
        print(f"  {label:18} {_fmt(result[name])}")
    for name in ("kalt", "warm"):
        ratio = result[f"{name}_ratio"]
        print(
            f"  {name} ÷ Baseline:    Wall {ratio['seconds']:.2f}×  CPU {ratio['cpu_seconds']:.2f}×"
            f"  Speicher {ratio['peak_bytes']:.2f}×  (Median der Verhältnisse je Runde)"
        )
    size, path = result["kalt"]["largest_file"]
    print(f"  größte Datei: {path} ({size / MIB:.1f} MiB)")
    if "reload_seconds" in result:
        print(
            f"  mkdocs serve, Speichern → 'Reloading browsers': {result['reload_seconds']:.1f} s "
            f"= {result['reload_ratio']:.2f} × Baseline kalt"
        )
        print(
            f"  mkdocs serve --dirty, ebenso: {result['dirty_reload_seconds']:.1f} s "
            f"= {result['dirty_reload_ratio']:.2f} × Baseline kalt"
        )
        base = result["baseline_reload_seconds"]
        print(
            f"  zum Vergleich: MkDocs + Material serve nach derselben Änderung {base:.1f} s "
            f"= {base / result['baseline']['seconds']:.2f} × Baseline kalt"
        )


def check(results: dict[int, dict[str, Any]]) -> list[str]:
    """The targets of issue 16."""
    lines: list[str] = []

    def target(ok: bool, text: str) -> None:
        lines.append(f"  [{'ok' if ok else 'VERFEHLT'}] {text}")

    if 5000 in results:
        cold, warm = results[5000]["kalt_ratio"], results[5000]["warm_ratio"]
        target(
            cold["cpu_seconds"] <= 1.3, f"N=5.000 kalt: CPU ≤ 1,3 × ({cold['cpu_seconds']:.2f}×)"
        )
        target(cold["seconds"] <= 1.3, f"N=5.000 kalt: Wall ≤ 1,3 × ({cold['seconds']:.2f}×)")
        target(
            cold["peak_bytes"] <= 2,
            f"N=5.000 kalt: Speicher (Prozessbaum) ≤ 2 × ({cold['peak_bytes']:.2f}×)",
        )
        target(
            warm["seconds"] <= 0.8,
            f"N=5.000 warm: Wall ≤ 0,8 × Baseline kalt ({warm['seconds']:.2f}×)",
        )
    if 1000 in results and "reload_ratio" in results[1000]:
        ratio = results[1000]["reload_ratio"]
        target(ratio <= 0.6, f"N=1.000 serve: Neuladen ≤ 0,6 × Baseline kalt ({ratio:.2f}×)")
        ratio = results[1000]["dirty_reload_ratio"]
        target(
            ratio <= 0.6, f"N=1.000 serve --dirty: Neuladen ≤ 0,6 × Baseline kalt ({ratio:.2f}×)"
        )
    if 10000 in results:
        r = results[10000]["kalt"]
        target(r["seconds"] <= 100, f"N=10.000 kalt: ≤ 100 s Wall ({r['seconds']:.1f} s)")
        target(
            r["peak_bytes"] <= 2 * GIB, f"N=10.000 kalt: ≤ 2 GiB ({r['peak_bytes'] / GIB:.2f} GiB)"
        )
        size, path = r["largest_file"]
        target(
            size <= 25 * MIB, f"N=10.000: keine Datei über 25 MiB ({path}: {size / MIB:.1f} MiB)"
        )
        if 5000 in results:
            for key, name in (("seconds", "Wall"), ("cpu_seconds", "CPU")):
                growth = r[key] / results[5000]["kalt"][key]
                target(growth <= 2.2, f"{name} 10.000 / 5.000 ≤ 2,2 ({growth:.2f})")
    busy = [
        n
        for n, r in results.items()
        for name in VARIANTS
        if r[name]["seconds"] > 1.3 * r[name]["cpu_seconds"]
    ]
    if busy:
        lines.append(
            "  Hinweis: Wall-Zeit deutlich über der CPU-Zeit (N="
            + ", ".join(str(n) for n in sorted(set(busy)))
            + ") – die Maschine war ausgelastet; CPU-Werte und Verhältnisse sind verlässlicher."
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="Zahl der Fälle")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="Runden (Median)")
    parser.add_argument("--serve", action="store_true", help="auch mkdocs serve messen")
    parser.add_argument("--keep", action="store_true", help="Temporäre Dateien behalten")
    parser.add_argument("--json", type=Path, help="Ergebnisse zusätzlich als JSON schreiben")
    args = parser.parse_args()
    if not Path("/proc/self/smaps_rollup").exists():
        raise SystemExit("Speichermessung braucht Linux (/proc/<pid>/smaps_rollup).")
    repo_config()  # fail early if mkdocs.yml cannot be read
    results = {n: bench(n, args.seed, args.runs, args.serve, args.keep) for n in args.n}
    print("Ziele (Issue 16):")
    print("\n".join(check(results)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
