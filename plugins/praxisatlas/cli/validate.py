"""``praxisatlas validate``: check case files and report every problem at once."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from praxisatlas import text_de
from praxisatlas.cases.duplicates import near_duplicates
from praxisatlas.cases.model import Case
from praxisatlas.cases.pipeline import collect, display_path, scan_cases_dir
from praxisatlas.cases.problems import Problem, errors

NAME = "validate"
HELP = "Fall-Dateien prüfen und alle Probleme mit Datei und Zeile melden."
FORMATS = ("text", "github", "json", "codequality")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"kein Datum JJJJ-MM-TT: '{text}'") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PFAD",
        help="Fall-Ordner oder einzelne Fall-Dateien (Vorgabe: cases/)",
    )
    parser.add_argument(
        "--cases-dir",
        default="cases",
        metavar="ORDNER",
        help="Fall-Ordner, in dem einzelne Dateien liegen müssen (Vorgabe: cases)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="Ausgabeformat: text (Vorgabe; unter GitHub Actions zusätzlich Annotationen), "
        "github, json oder codequality (GitLab Code Quality)",
    )
    parser.add_argument(
        "--docs-dir",
        default=None,
        metavar="ORDNER",
        help="Ordner der handgeschriebenen Seiten, auf die Fälle verlinken dürfen "
        "(Vorgabe: docs neben dem Fall-Ordner)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="Auch Warnungen (z. B. Kontakt sieht nach einer Privatperson aus) als Fehler "
        "werten; in CI (Umgebungsvariable CI=true) ist das die Vorgabe",
    )
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="JJJJ-MM-TT",
        help="Stichtag für Datumsprüfungen (Vorgabe: heute)",
    )


def escape_data(text: str) -> str:
    """Escape a workflow-command message (GitHub Actions ``::error ...::message``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem, strict: bool = True) -> str:
    level = "warning" if problem.warning and not strict else "error"
    return (
        f"::{level} file={escape_property(problem.path)},line={problem.line},"
        f"title={escape_property(problem.field)}::{escape_data(problem.message)}"
    )


def fingerprint(problem: Problem) -> str:
    """Stable id of a problem for GitLab (same problem, same fingerprint)."""
    key = "\x1f".join((problem.path, str(problem.line), problem.field, problem.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def code_quality(problems: Sequence[Problem]) -> list[dict[str, object]]:
    """GitLab Code Quality report entries (a subset of the Code Climate format)."""
    return [
        {
            "description": f"{p.field}: {p.message}",
            "check_name": f"praxisatlas-{p.field.split('[')[0].split('.')[0]}",
            "fingerprint": fingerprint(p),
            "severity": "minor" if p.warning else "major",
            "location": {"path": p.path, "lines": {"begin": p.line}},
        }
        for p in problems
    ]


FILES = ("Datei", "Dateien")


def summary(problems: Sequence[Problem], files: int, cases: int) -> str:
    """The German summary line."""
    if not problems:
        return f"{text_de.count(cases)} geprüft, keine Probleme"
    affected = len({p.path for p in problems})
    counted = text_de.count(len(problems), ("Problem", "Probleme"))
    warnings = len(problems) - len(errors(list(problems)))
    note = ""
    if warnings:
        note = f" (davon {text_de.count(warnings, ('Warnung', 'Warnungen'))})"
    return f"{counted}{note} in {text_de.number(affected)} von {text_de.count(files, FILES)}"


def strict_default() -> bool:
    """Warnings fail in CI (GitHub Actions, GitLab CI and others set CI=true)."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def case_file(path: str, folder: Path) -> Path:
    """What someone means by ``path``: ``cases/x`` and ``x`` stand for ``cases/x.md``
    when only that exists (as shell completion of a folder name or a case id leaves it)."""
    given = Path(path)
    if given.exists() or given.is_symlink() or given.suffix == ".md":
        return given
    for candidate in (given.with_name(given.name + ".md"), folder / f"{path}.md"):
        if candidate.is_file():
            return candidate
    return given


def check(
    paths: Sequence[str], cases_dir: str, today: dt.date | None, docs_dir: str | None = None
) -> tuple[list[Problem], int, int]:
    """Validate folders and files; returns (problems, files examined, valid cases).

    Besides each file's own problems, warns on cases that look like copies of each other
    (which only a look across the files shows)."""
    docs = Path(docs_dir) if docs_dir is not None else None
    folder = Path(cases_dir)
    paths = [str(case_file(p, folder)) for p in paths]
    dirs = [Path(p) for p in paths if Path(p).is_dir() and not Path(p).is_symlink()]
    files = [Path(p) for p in paths if Path(p) not in dirs]
    if not paths:
        dirs = [folder]
    problems: list[Problem] = []
    examined: set[str] = set()
    valid = 0
    checked: list[Case] = []
    for directory in dirs:
        cases, found = collect(directory, today=today, docs_dir=docs)
        listed, _ = scan_cases_dir(directory)
        examined.update(display_path(f) for f in listed)
        examined.update(p.path for p in found)
        problems.extend(found)
        valid += len(cases)
        checked += cases
    if files:
        cases, found = collect(folder, today=today, files=files, docs_dir=docs)
        examined.update(display_path(f) for f in files)
        problems.extend(found)
        valid += len(cases)
        checked += cases
    unique = list({case.path: case for case in checked}.values())
    problems.extend(near_duplicates(unique))
    return sorted(set(problems)), len(examined), valid


def write_report(
    problems: list[Problem],
    files: int,
    cases: int,
    fmt: str,
    out: TextIO,
    err: TextIO,
    strict: bool = True,
) -> None:
    line = summary(problems, files, cases)
    if fmt == "json":
        data = {
            "files": files,
            "cases": cases,
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "field": p.field,
                    "message": p.message,
                    "severity": "warnung" if p.warning else "fehler",
                }
                for p in problems
            ],
        }
        out.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        err.write(line + "\n")
        return
    if fmt == "codequality":
        out.write(json.dumps(code_quality(problems), ensure_ascii=False, indent=2) + "\n")
        err.write(line + "\n")
        return
    annotate = fmt == "github" or os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        if fmt == "text":
            out.write(f"{problem}\n")
        if annotate:
            out.write(github_annotation(problem, strict) + "\n")
    out.write(line + "\n")


def run(args: argparse.Namespace) -> int:
    problems, files, cases = check(args.paths, args.cases_dir, args.today, args.docs_dir)
    strict = strict_default() if args.strict is None else args.strict
    write_report(problems, files, cases, args.format, sys.stdout, sys.stderr, strict)
    failed = errors(problems) or (strict and problems)
    return 1 if failed else 0
