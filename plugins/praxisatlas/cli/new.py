"""``praxisatlas new``: scaffold a case file that passes ``validate`` once the section
hints are replaced by the contributor's text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from praxisatlas.cases.loader import CASE_SUFFIX
from praxisatlas.cases.model import DEFAULT_LICENSE
from praxisatlas.cases.schema import FIELDS_BY_KEY, MAX_TOPICS
from praxisatlas.contribute.new_case import Aborted, _Form, collect_values, write_case

NAME = "new"
HELP = "Neue Fall-Datei anlegen (fragt die Angaben ab oder nimmt sie als Optionen)."


def _allowed(key: str, inner: str = "") -> list[str]:
    """The allowed values of a declared field (``inner``: of an object's key)."""
    spec = FIELDS_BY_KEY[key]
    found = spec.field(inner) if inner else spec
    assert found is not None
    enum = found.items.enum if found.items is not None else found.enum
    assert enum is not None
    return list(enum)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--id", help="Kennung = Dateiname ohne .md (Vorgabe: aus dem Titel gebildet)")
    add("--title", help=f"Titel ({FIELDS_BY_KEY['title'].limit_text})")
    add("--summary", help=f"Kurzbeschreibung, 1–2 Sätze ({FIELDS_BY_KEY['summary'].limit_text})")
    add(
        "--ags",
        help="Federführender Kreis: Kreisschlüssel (z. B. 05162) oder eindeutiger Name "
        "(„LK“/„Lkr.“ für Landkreis)",
    )
    add("--topic", action="append", help=f"Thema-Slug (1 bis {MAX_TOPICS}; mehrfach angeben)")
    add("--status", choices=_allowed("status"), help="Status des Vorhabens")
    add("--start", help="Beginn als JJJJ oder JJJJ-MM")
    add("--function", help="Kontakt: Funktion oder Stelle, z. B. Stabsstelle Digitalisierung")
    add("--email", help="Kontakt: E-Mail (möglichst Funktionspostfach; optional)")
    add("--phone", help="Kontakt: Telefon (optional)")
    add(
        "--open-to",
        action="append",
        choices=_allowed("contact", "open_to"),
        help="Offen für (mehrfach)",
    )
    add(
        "--source-title", action="append", help="Titel einer Quelle (mehrfach, je mit --source-url)"
    )
    add("--source-url", action="append", help="Webadresse einer Quelle (http/https; mehrfach)")
    add(
        "--license",
        choices=_allowed("license"),
        default=None,
        help=f"Lizenz (Vorgabe: {DEFAULT_LICENSE})",
    )
    add("--cost", choices=_allowed("effort", "cost"), help="Aufwand: Kosten (optional)")
    add("--staff", choices=_allowed("effort", "staff"), help="Aufwand: Personal (optional)")
    add("--duration", choices=_allowed("effort", "duration"), help="Aufwand: Dauer (optional)")
    add(
        "--outcome",
        action="append",
        help="Ergebnis in einem Satz, am Ende (gemessen), (geschätzt) oder (berichtet); mehrfach",
    )
    add("--transferability", help="Übertragbarkeit: was andere für eine Nachnutzung brauchen")
    add(
        "--reviewed",
        help="Nur für die Redaktion: Datum der Prüfung JJJJ-MM-TT (Vorgabe: heute; wird nicht "
        "abgefragt)",
    )
    add("--cases-dir", default="cases", help="Fall-Ordner (Vorgabe: cases)")
    add(
        "--non-interactive",
        action="store_true",
        help="Nichts abfragen; fehlende Angaben sind ein Fehler",
    )


def run(args: argparse.Namespace) -> int:
    cases_dir = Path(args.cases_dir)
    if not cases_dir.is_dir():
        print(f"Der Fall-Ordner {cases_dir}/ existiert nicht.", file=sys.stderr)
        return 1
    form = _Form(args, cases_dir)
    if args.id and (cases_dir / f"{args.id}{CASE_SUFFIX}").exists():
        print(
            f"{cases_dir}/{args.id}.md existiert schon; nichts überschrieben. "
            f"Frei ist z. B. --id {form.free_id(args.id)}",
            file=sys.stderr,
        )
        return 1
    try:
        target = write_case(collect_values(form), form, cases_dir)
    except Aborted as err:
        print(f"Abgebrochen: {err}", file=sys.stderr)
        return 1
    print(f"Angelegt: {target.as_posix()}")
    print(
        "Bitte unter den vier Überschriften die Hinweise „Bitte ersetzen: …“ durch eigenen "
        f"Text ersetzen und dann prüfen: praxisatlas validate {target.as_posix()}"
    )
    return 0
