"""Benchmark: validating 10,000 synthetic cases (target: collect() in 10 s or less).

Writes N synthetic cases into a temporary folder, then measures in the same run:
  * baseline: read every file and ``yaml.safe_load`` its front matter (libyaml when
    available, as PyYAML's fastest ordinary path), nothing else;
  * ``praxisatlas.cases.pipeline.collect``: strict loading, validation and the folder checks.
Reports wall time, per-case cost and the ratio to the baseline. Not a test: the figures
depend on the machine.

    python scripts/bench_validate.py [--cases 10000] [--repeat 3]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

# Test-data generation lives in tests/, outside the runtime package.
_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from praxisatlas.cases.pipeline import collect
from praxisatlas.cases.reference import load_reference
from praxisatlas.cases.vocabulary import load_vocabulary
from tests.synthetic import write_synthetic_cases

TARGET_SECONDS = 10.0
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def baseline(folder: Path) -> int:
    """Read each file and parse its front matter with yaml.safe_load (no checks)."""
    count = 0
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, _body = text.split("---\n", 2)
        if isinstance(yaml.load(front, Loader=_SafeLoader), dict):
            count += 1
    return count


def timed(funcs: list[Callable[[], int]], repeat: int) -> list[tuple[float, int]]:
    """Median time and last result of each function; runs are interleaved so that load
    from other processes affects baseline and candidate alike."""
    times: list[list[float]] = [[] for _ in funcs]
    results = [0 for _ in funcs]
    for _ in range(repeat):
        for index, func in enumerate(funcs):
            start = time.perf_counter()
            results[index] = func()
            times[index].append(time.perf_counter() - start)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    vocabulary, reference = load_vocabulary(), load_reference()
    today = dt.date(2026, 11, 22)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cases"
        start = time.perf_counter()
        write_synthetic_cases(folder, args.cases, seed=0)
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.iterdir())

        def run_collect() -> int:
            cases, problems = collect(folder, vocabulary, reference, today, root=folder)
            if problems:
                raise SystemExit(f"unexpected problems, e.g. {problems[0]}")
            return len(cases)

        baseline(folder)  # warm the page cache for both
        (base_time, base_count), (collect_time, valid) = timed(
            [lambda: baseline(folder), run_collect], args.repeat
        )
    n = args.cases
    print(f"libyaml: {'ja' if yaml.__with_libyaml__ else 'nein'}")
    print(f"generated {n} synthetic cases ({size / 1e6:.1f} MB) in {generated:.2f} s")
    print(
        f"baseline read + yaml.safe_load: {base_time:.2f} s "
        f"({base_time / n * 1e3:.3f} ms/case, {base_count} parsed)"
    )
    print(
        f"collect (strict load + validate): {collect_time:.2f} s "
        f"({collect_time / n * 1e3:.3f} ms/case, {valid} valid)"
    )
    print(f"ratio collect / baseline: {collect_time / base_time:.2f}")
    verdict = "OK" if collect_time <= TARGET_SECONDS * n / 10_000 else "ZU LANGSAM"
    print(f"target <= {TARGET_SECONDS * n / 10_000:.1f} s for {n} cases: {verdict}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
