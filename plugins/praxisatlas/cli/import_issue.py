"""``praxisatlas import-issue``: a "Neuer Fall" issue becomes ``cases/<id>.md``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from praxisatlas.contribute import issue_import

NAME = "import-issue"
HELP = (
    "Text eines Issues „Neuer Fall“ (GitHub-Formular oder GitLab-Vorlage) in eine "
    "Fall-Datei umwandeln; meldet, was fehlt oder ungültig ist."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="DATEI",
        help="Datei mit dem Issue-Text; '-' oder nichts: von der Standardeingabe lesen "
        "(z. B. gh issue view 12 --json body --jq .body | praxisatlas import-issue)",
    )
    parser.add_argument("--id", help="Kennung des Falls (Standard: aus dem Titel gebildet)")
    parser.add_argument(
        "--cases-dir",
        type=Path,
        default=Path("cases"),
        metavar="ORDNER",
        help="Ordner für die neue Datei (Standard: cases)",
    )
    parser.add_argument("--stdout", action="store_true", help="Fall-Datei ausgeben statt schreiben")
    parser.add_argument(
        "--comment",
        action="store_true",
        help="nichts schreiben; eine Antwort für das Issue (Markdown) ausgeben: "
        "fehlende Angaben oder eine Vorschau der Fall-Datei",
    )
    parser.add_argument(
        "--reviewed",
        type=dt.date.fromisoformat,
        metavar="JJJJ-MM-TT",
        help="Datum der redaktionellen Prüfung (Standard: heute)",
    )


def run(args: argparse.Namespace) -> int:
    if args.file == "-":
        body = sys.stdin.read()
    else:
        try:
            body = Path(args.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            print(f"{args.file}: kann nicht gelesen werden ({error})", file=sys.stderr)
            return 2
    cases_dir: Path = args.cases_dir
    result = issue_import.build_case(
        body,
        case_id=args.id,
        today=args.reviewed,
        cases_dir=None if args.stdout or args.comment else cases_dir,
    )
    if args.comment:
        sys.stdout.write(issue_import.issue_comment(result))
        return 0 if result.ok else 1
    if not result.ok:
        print("Der Fall kann so noch nicht angelegt werden:", file=sys.stderr)
        for problem in result.problems:
            print(f"- {problem}", file=sys.stderr)
        print(
            f"{len(result.problems)} Punkt(e) offen. Bitte im Issue ergänzen oder korrigieren.",
            file=sys.stderr,
        )
        return 1
    if args.stdout:
        sys.stdout.write(result.text)
        return 0
    target = cases_dir / f"{result.case_id}.md"
    cases_dir.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(result.text)
    print(f"Fall angelegt: {target.as_posix()}")
    print("Bitte lesen, bei Bedarf nachbessern und mit 'praxisatlas validate' prüfen.")
    return 0
