"""A normal install (``pip install .``, not ``-e``) builds the site (issue 18, point 11).

An editable install reads templates and assets from the source tree, so it hides package
data missing from the wheel (it once lacked ``search/templates`` and ``search/assets``).
Here the wheel is built from a copy of the sources, installed into a fresh virtual
environment, and the repository's site is built with it from a folder without the
sources. To stay fast and offline, the fresh environment borrows the dependencies
(MkDocs, Material, …) of the running one through a ``.pth`` line; only praxisatlas itself
comes from the wheel, which the test checks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.sitebuild import REPO

pytestmark = pytest.mark.slow


def _run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stdout + result.stderr


def test_site_builds_from_an_installed_wheel(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", NO_MKDOCS_2_WARNING="1")
    env.pop("PRAXISATLAS_PRODUCTION", None)

    # 1. The wheel, from a copy of the sources (the build writes build/ and *.egg-info).
    source = tmp_path / "quelle"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(
        REPO / "plugins",
        source / "plugins",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", dist,
         source],
        tmp_path,
        env,
    )  # fmt: skip
    (wheel,) = dist.glob("praxisatlas-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "praxisatlas/search/templates/katalog.html",
        "praxisatlas/search/assets/katalog.js",
        "praxisatlas/website/templates/case_head.md.j2",
        "praxisatlas/data/kreise.csv",
        "praxisatlas/data/vornamen.txt",
    ):
        assert needed in names, needed

    # 2. A fresh environment with praxisatlas from the wheel only.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    python = venv / "bin" / "python"
    purelib = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
             tmp_path, env).strip()
    )  # fmt: skip
    (purelib / "_abhaengigkeiten.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", wheel],
        tmp_path,
        env,
    )
    site_root = tmp_path / "website"
    site_root.mkdir()
    where = _run([python, "-c", "import praxisatlas; print(praxisatlas.__file__)"], site_root, env)
    assert where.strip().startswith(str(purelib)), where

    # 3. The repository's site, built and validated with the installed package.
    for name in ("docs", "overrides", "cases"):
        shutil.copytree(REPO / name, site_root / name)
    shutil.copy2(REPO / "mkdocs.yml", site_root / "mkdocs.yml")
    _run([venv / "bin" / "praxisatlas", "validate"], site_root, env)
    _run([python, "-m", "mkdocs", "build", "--strict"], site_root, env)
    site = site_root / "site"
    assert (site / "katalog" / "index.html").is_file()
    assert list((site / "katalog").rglob("katalog*.js"))
    shipped = sorted(p.stem for p in (REPO / "cases").glob("*.md"))
    assert sorted(p.parent.name for p in (site / "faelle").glob("*/index.html")) == shipped
