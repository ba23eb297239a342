"""``praxisatlas report``: what the editors should look at (review due, gaps, links)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from praxisatlas.contribute import editorial_report, report_records

NAME = "report"
HELP = (
    "Bericht für die Redaktion: fällige Prüfungen, fehlende Angaben, Verweise auf "
    "unbekannte Fälle, (mit --contacts/--unconfirmed) Fälle ohne Kontaktweg oder ohne "
    "Bestätigung nach Land und (mit --links) defekte externe Links."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "cases_dir",
        nargs="?",
        default="cases",
        type=Path,
        metavar="ORDNER",
        help="Ordner mit den Fall-Dateien (Standard: cases)",
    )
    parser.add_argument(
        "--due",
        nargs="?",
        const=editorial_report.DEFAULT_DUE_DAYS,
        type=int,
        metavar="TAGE",
        help="Fälle, deren Prüfung überfällig ist oder in TAGE Tagen fällig wird "
        f"(Standard: {editorial_report.DEFAULT_DUE_DAYS})",
    )
    parser.add_argument("--missing", action="store_true", help="fehlende optionale Angaben")
    parser.add_argument("--refs", action="store_true", help="Verweise auf unbekannte Fälle")
    parser.add_argument(
        "--contacts",
        action="store_true",
        help="Fälle ohne Kontaktweg (weder Telefon noch E-Mail noch Webseite), nach Land",
    )
    parser.add_argument(
        "--unconfirmed",
        action="store_true",
        help="Fälle, die die Verwaltung noch nicht bestätigt hat, nach Land",
    )
    parser.add_argument(
        "--links",
        action="store_true",
        help="externe Links prüfen (braucht Netz; nur für die wöchentliche Prüfung)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="Ausgabe als Text oder Markdown (z. B. für die Job-Zusammenfassung)",
    )
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        metavar="JJJJ-MM-TT",
        help="Stichtag statt des heutigen Datums",
    )
    parser.add_argument(
        "--exit-code",
        action="store_true",
        help="mit Status 1 enden, wenn es Befunde gibt (für CI)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SEKUNDEN",
        help="Zeitlimit je Link (Standard: 10)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=8,
        metavar="N",
        help="gleichzeitige Link-Abfragen (Standard: 8)",
    )


def run(args: argparse.Namespace) -> int:
    cases_dir: Path = args.cases_dir
    if not cases_dir.is_dir():
        print(f"Ordner '{cases_dir}' gibt es nicht.", file=sys.stderr)
        return 2
    sections = [
        name
        for name, wanted in (
            ("due", args.due is not None),
            ("missing", args.missing),
            ("refs", args.refs),
            ("contacts", args.contacts),
            ("unconfirmed", args.unconfirmed),
            ("links", args.links),
        )
        if wanted
    ] or ["due", "missing", "refs"]
    records, invalid = report_records.read_records(cases_dir)
    result = editorial_report.build_report(
        records,
        today=args.today or dt.date.today(),
        sections=sections,
        due_days=args.due if args.due is not None else editorial_report.DEFAULT_DUE_DAYS,
        invalid=invalid,
        link_timeout=args.timeout,
        link_workers=args.workers,
    )
    render = (
        editorial_report.render_markdown
        if args.format == "markdown"
        else editorial_report.render_text
    )
    sys.stdout.write(render(result))
    return 1 if args.exit_code and editorial_report.failing(result) else 0
