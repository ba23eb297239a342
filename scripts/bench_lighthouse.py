#!/usr/bin/env python3
"""Benchmark (not a test): Lighthouse scores of the shipped site, mobile and desktop.

Builds the repository's site with the shipped catalogue into a temporary directory,
serves it gzip-compressed on 127.0.0.1 (as a static host would) and runs Lighthouse
(npm ``lighthouse@12.2.3``, installed into ``.venv/lighthouse`` on first use; it runs on
Node 20) in Debian's Chromium for the home page, a case page and ``/katalog/``.
Prints performance, accessibility, best practices, SEO and cumulative layout shift.

    python scripts/bench_lighthouse.py
    python scripts/bench_lighthouse.py --runs 3     # median of three runs per page
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent))

import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench_search import GzipServer  # type: ignore[import-not-found]

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE_VERSION = "12.2.3"
TOOL_DIR = REPO / ".venv" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse() -> Path:
    binary = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOL_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "-E",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(TOOL_DIR),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return binary


def build_site(target: Path) -> Path:
    site = target / "site"
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-q", "-d", str(site)],
        cwd=REPO,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    return site


def run(binary: Path, url: str, desktop: bool, out: Path) -> dict[str, float]:
    args = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if desktop:
        args.append("--preset=desktop")
    subprocess.run(args, check=True, env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"})
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: 100 * float(report["categories"][c]["score"]) for c in CATEGORIES}
    scores["cls"] = float(report["audits"]["cumulative-layout-shift"]["numericValue"])
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page and device")
    args = parser.parse_args()
    binary = lighthouse()
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        site = build_site(Path(tmp))
        case = sorted((site / "faelle").iterdir())[0].name
        pages = {"Startseite": "", "Fall": f"faelle/{case}/", "Katalog": "katalog/"}
        server = GzipServer(site)
        try:
            print(
                f"{'Seite':12} {'Gerät':8} {'Perf':>5} {'A11y':>5} {'BP':>5} {'SEO':>5} {'CLS':>6}"
            )
            for name, path in pages.items():
                for device in ("mobil", "desktop"):
                    results = [
                        run(binary, server.url + path, device == "desktop", Path(tmp) / "r.json")
                        for _ in range(args.runs)
                    ]
                    median = {k: statistics.median(r[k] for r in results) for k in results[0]}
                    print(
                        f"{name:12} {device:8} {median['performance']:5.0f} "
                        f"{median['accessibility']:5.0f} {median['best-practices']:5.0f} "
                        f"{median['seo']:5.0f} {median['cls']:6.3f}"
                    )
        finally:
            server.close()


if __name__ == "__main__":
    main()
