"""``praxisatlas validate``: golden output on the broken fixtures, formats, exit codes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from praxisatlas import cli
from praxisatlas.cases.loader import MAX_FILE_BYTES
from praxisatlas.cases.problems import Problem
from praxisatlas.cli.validate import escape_data, escape_property, github_annotation

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden" / "validate" / "broken.txt"
TODAY = "2026-11-22"
# Folder-level problems git cannot hold nicely: created in a temporary copy.
RUNTIME_EXTRAS = (
    "verlinkt.md",
    ".versteckt.md",
    "unterordner",
    "unterordner/fall.md",
    "unterordner/tiefer/noch-einer.md",
    "GROSS.MD",
    "notiz.markdown",
    "liesmich.txt",
    "zu-gross.md",
)


def broken_copy(tmp_path: Path) -> Path:
    target = tmp_path / "broken"
    shutil.copytree(FIXTURES / "broken", target)
    valid = (FIXTURES / "valid" / "online-termine-fiktiv.md").read_text(encoding="utf-8")
    (target / "verlinkt.md").symlink_to(target / "kollision.md")
    (target / ".versteckt.md").write_text(valid, encoding="utf-8")
    (target / "unterordner" / "tiefer").mkdir(parents=True)
    (target / "unterordner" / "fall.md").write_text(valid, encoding="utf-8")
    (target / "unterordner" / "tiefer" / "noch-einer.md").write_text(valid, encoding="utf-8")
    (target / "GROSS.MD").write_text(valid, encoding="utf-8")
    (target / "notiz.markdown").write_text(valid, encoding="utf-8")
    (target / "liesmich.txt").write_text("Notiz\n", encoding="utf-8")
    (target / "zu-gross.md").write_text(valid + "x" * MAX_FILE_BYTES, encoding="utf-8")
    return target


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_golden_output_on_broken_fixtures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, _ = run_cli(["broken", "--today", TODAY], capsys)
    assert code == 1
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_every_broken_file_is_reported_on_a_real_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = broken_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["broken", "--format", "json", "--today", TODAY], capsys)
    assert code == 1
    problems = json.loads(out)["problems"]
    reported = {p["path"] for p in problems}
    expected = {
        f"broken/{p.relative_to(folder).as_posix()}"
        for p in folder.rglob("*")
        if p.name != "bom-crlf-gueltig.md" and not (p.is_dir() and p.name == "tiefer")
    }
    assert len(expected) >= 40 + len(RUNTIME_EXTRAS) - 1
    assert reported == expected
    for problem in problems:
        path = tmp_path / problem["path"]
        if path.is_file() and not path.is_symlink():
            lines = path.read_bytes().count(b"\n") + 1
            assert 1 <= problem["line"] <= lines, problem


def test_valid_fixtures_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli([str(FIXTURES / "valid"), "--today", TODAY], capsys)
    assert (code, out) == (0, "2 Fälle geprüft, keine Probleme\n")


def test_default_folder_and_single_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES / "valid", tmp_path / "cases")
    (tmp_path / "draussen.md").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_cli(["--today", TODAY], capsys)[:2] == (0, "2 Fälle geprüft, keine Probleme\n")
    # A single file is checked against the whole folder (its references exist there).
    code, out, _ = run_cli(["cases/digitale-bauakte-musterkreis.md", "--today", TODAY], capsys)
    assert (code, out) == (0, "1 Fall geprüft, keine Probleme\n")
    code, out, _ = run_cli(["draussen.md", "cases/fehlt.md", "gibts-nicht/"], capsys)
    assert code == 1
    assert out.splitlines() == [
        "cases/fehlt.md:1: datei: Die Datei oder der Ordner existiert nicht",
        "draussen.md:1: datei: Liegt nicht direkt im Fall-Ordner cases/ und wird nicht geprüft",
        "gibts-nicht:1: datei: Die Datei oder der Ordner existiert nicht",
        "3 Probleme in 3 von 3 Dateien",
    ]


def test_github_annotations_under_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "leer.md").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run_cli([], capsys)
    assert code == 1
    assert out.splitlines() == [
        "cases/leer.md:1: datei: Die Datei ist leer",
        "::error file=cases/leer.md,line=1,title=datei::Die Datei ist leer",
        "1 Problem in 1 von 1 Datei",
    ]


def test_annotation_escaping() -> None:
    assert escape_data("100 %\r\nneu: a,b") == "100 %25%0D%0Aneu: a,b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    problem = Problem("cases/a,b.md", 3, "sources[0].url", "x\ny: 50 %")
    assert github_annotation(problem) == (
        "::error file=cases/a%2Cb.md,line=3,title=sources[0].url::x\\x0ay: 50 %25"
    )


def test_codequality_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "leer.md").write_text("", encoding="utf-8")
    (tmp_path / "cases" / "ohne.md").write_text("title: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["--format", "codequality"], capsys)
    assert code == 1
    report = json.loads(out)
    assert [r["location"] for r in report] == [
        {"path": "cases/leer.md", "lines": {"begin": 1}},
        {"path": "cases/ohne.md", "lines": {"begin": 1}},
    ]
    assert {r["severity"] for r in report} == {"major"}
    assert report[0]["check_name"] == "praxisatlas-datei"
    assert len({r["fingerprint"] for r in report}) == 2
    assert err == "2 Probleme in 2 von 2 Dateien\n"
    again = json.loads(run_cli(["--format", "codequality"], capsys)[1])
    assert [r["fingerprint"] for r in again] == [r["fingerprint"] for r in report]
    (tmp_path / "cases" / "leer.md").unlink()
    (tmp_path / "cases" / "ohne.md").unlink()
    code, out, _ = run_cli(["--format", "codequality"], capsys)
    assert (code, json.loads(out)) == (0, [])


def test_file_names_that_are_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases").mkdir()
    monkeypatch.chdir(tmp_path)
    with open(os.fsencode("cases") + b"/caf\xe9.md", "wb") as handle:
        handle.write((FIXTURES / "valid" / "online-termine-fiktiv.md").read_bytes())
    code, out, _ = run_cli(["--format", "codequality"], capsys)
    assert code == 1
    assert [r["location"]["path"] for r in json.loads(out)] == ["cases/caf\\xe9.md"]
    code, out, _ = run_cli([], capsys)
    assert out.splitlines()[0].startswith(
        "cases/caf\\xe9.md:1: id: Ungültiger Dateiname 'caf\\xe9.md'"
    )
