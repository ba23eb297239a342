"""``praxisatlas issue-form``: (re)generate the issue form and the GitLab template."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from praxisatlas.contribute import issue_form_files
from praxisatlas.output import site_url_problem

NAME = "issue-form"
HELP = (
    "Issue-Formular (GitHub), config.yml und GitLab-Vorlage für neue Fälle aus Schema, "
    "Themen-Vokabular und Länderliste erzeugen."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        metavar="ORDNER",
        help="Wurzel des Repositorys (Standard: aktueller Ordner)",
    )
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="Adresse der Website für Links im Formular (Standard: site_url aus mkdocs.yml)",
    )
    parser.add_argument(
        "--production",
        action="store_true",
        default=os.environ.get("PRAXISATLAS_PRODUCTION", "").lower() in {"1", "true", "yes"},
        help="wie der Produktions-Build: eine Platzhalter-Adresse (site_url) ist ein Fehler "
        "(Standard: Umgebungsvariable PRAXISATLAS_PRODUCTION)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="nichts schreiben; mit Status 1 enden, wenn eine Datei veraltet ist",
    )


def run(args: argparse.Namespace) -> int:
    root: Path = args.root
    site_url = args.site_url or issue_form_files.read_site_url(root / "mkdocs.yml")
    placeholder = site_url_problem(site_url)
    if placeholder and args.production:
        print(f"{placeholder} Die Links im Formular zeigen sonst ins Leere.", file=sys.stderr)
        return 1
    files = issue_form_files.generated_files(root, site_url)
    outdated = []
    for relative, content in files.items():
        target = root / relative
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == content:
            continue
        outdated.append(relative)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
    if args.check:
        if outdated:
            for relative in outdated:
                print(f"{relative}: veraltet", file=sys.stderr)
            print(
                "Bitte 'praxisatlas issue-form' ausführen und die Dateien mit committen.",
                file=sys.stderr,
            )
            return 1
        print(f"{len(files)} erzeugte Dateien sind aktuell.")
        return 0
    for relative in outdated:
        print(f"geschrieben: {relative}")
    if not outdated:
        print("Alles aktuell, nichts geschrieben.")
    return 0
