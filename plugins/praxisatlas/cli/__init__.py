"""The ``praxisatlas`` command line: one thin argparse adapter per module of this package.

Each command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; the work itself lives in the pipeline stages they call.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

import praxisatlas
from praxisatlas.cli._deutsch import german_messages


def _command_modules() -> list[ModuleType]:
    found = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    return sorted(found, key=lambda m: str(m.NAME))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="praxisatlas",
        description="Werkzeuge für den Praxisatlas: Fälle prüfen, anlegen und auswerten.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"praxisatlas {praxisatlas.__version__}",
        help="Versionsnummer anzeigen und beenden",
    )
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL")
    for module in _command_modules():
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Help, usage and every argparse error in German (see _deutsch.py).
    with german_messages():
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "_run", None):
            parser.print_help()
            return 2
    try:
        return int(args._run(args))
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
