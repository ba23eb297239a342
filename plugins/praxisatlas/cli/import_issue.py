"""``praxisatlas import-issue``: an issue becomes a case file or a change of one.

"Neuer Fall" becomes a new ``cases/<id>.md``; "Fall bestätigen oder ergänzen" changes the
existing file it names (never a second file). The form is recognised by its headings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from praxisatlas.contribute import confirmation, issue_import

NAME = "import-issue"
HELP = (
    "Text eines Issues „Neuer Fall“ oder „Fall bestätigen oder ergänzen“ (GitHub-Formular "
    "oder GitLab-Vorlage) in eine neue Fall-Datei bzw. eine Änderung der bestehenden "
    "umwandeln; meldet alles, was fehlt oder ungültig ist."
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
        help="Fall-Ordner: für die neue Datei bzw. mit dem bestätigten Fall (Standard: cases)",
    )
    parser.add_argument("--stdout", action="store_true", help="Fall-Datei ausgeben statt schreiben")
    parser.add_argument(
        "--comment",
        action="store_true",
        help="nichts schreiben; eine Antwort für das Issue (Markdown) ausgeben: "
        "fehlende Angaben oder eine Vorschau der Fall-Datei bzw. der Änderung",
    )
    parser.add_argument(
        "--reviewed",
        type=dt.date.fromisoformat,
        metavar="JJJJ-MM-TT",
        help="Datum der redaktionellen Prüfung bzw. der Bestätigung (Standard: heute)",
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
    if confirmation.is_confirmation(body):
        return _confirm(body, args)
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
        return _open_points("Der Fall kann so noch nicht angelegt werden:", result.problems)
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


def _confirm(body: str, args: argparse.Namespace) -> int:
    """A "Fall bestätigen oder ergänzen" issue: change the existing case file."""
    cases_dir: Path = args.cases_dir
    if args.id:
        print(
            "--id gilt nur für „Neuer Fall“; dieses Issue nennt den Fall selbst.",
            file=sys.stderr,
        )
        return 2
    result = confirmation.build_confirmation(body, cases_dir, today=args.reviewed)
    if args.comment:
        sys.stdout.write(confirmation.confirmation_comment(result))
        return 0 if result.ok else 1
    if not result.ok:
        return _open_points(
            "Die Rückmeldung kann so noch nicht übernommen werden:", result.problems
        )
    if args.stdout:
        sys.stdout.write(result.text)
        return 0
    target = cases_dir / f"{result.case_id}.md"
    if result.changed:
        # Same folder, then rename: the case file is never left half-written.
        partial = target.with_name(f".{target.name}.neu")
        partial.write_text(result.text, encoding="utf-8")
        os.replace(partial, target)
        what = "bestätigt und ergänzt" if result.confirmed else "ergänzt"
        print(f"Fall {what}: {target.as_posix()}")
    else:
        print(f"Keine Änderung: {target.as_posix()} enthält diese Angaben schon.")
    for note in result.notes:
        print(f"Hinweis: {note}")
    if result.corrections:
        print("Korrekturen und Ergänzungen aus dem Issue (bitte prüfen und von Hand einarbeiten):")
        for line in result.corrections.splitlines():
            print(f"  {line}")
    print("Bitte die Änderung lesen (git diff) und mit 'praxisatlas validate' prüfen.")
    return 0


def _open_points(headline: str, problems: list[str]) -> int:
    """What the issue still lacks, on standard error; the exit status 1."""
    print(headline, file=sys.stderr)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    print(
        f"{len(problems)} Punkt(e) offen. Bitte im Issue ergänzen oder korrigieren.",
        file=sys.stderr,
    )
    return 1
