"""German help and error messages for argparse.

argparse takes its texts from ``gettext`` (``argparse._`` and ``argparse.ngettext``), and
Python ships no German catalogue for them: "usage:", "options:", "show this help message
and exit", "the following arguments are required". ``german_messages()`` puts German
texts in their place while the command line is built and parsed, and restores argparse
afterwards, so nothing else in the process is affected.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

# argparse's message ids (Python 3.11 to 3.13) and their German texts; the placeholders
# stay as they are.
MESSAGES: dict[str, str] = {
    "usage: ": "Aufruf: ",
    "options": "Optionen",
    "optional arguments": "Optionen",
    "positional arguments": "Argumente",
    "show this help message and exit": "diese Hilfe anzeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "Diese Angaben fehlen: %s",
    "unrecognized arguments: %s": "Unbekannte Argumente: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ungültige Auswahl: %(value)r (möglich: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "expected one argument": "ein Wert erwartet",
    "expected at most one argument": "höchstens ein Wert erwartet",
    "expected at least one argument": "mindestens ein Wert erwartet",
    "expected %s argument": "%s Wert erwartet",
    "expected %s arguments": "%s Werte erwartet",
    "ambiguous option: %(option)s could match %(matches)s": (
        "mehrdeutige Option: %(option)s kann %(matches)s bedeuten"
    ),
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "ignored explicit argument %r": "Wert %r wird nicht erwartet",
    "unexpected option string: %s": "unerwartete Option: %s",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' kann nicht geöffnet werden: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "unbekannter Befehl %(parser_name)r (möglich: %(choices)s)"
    ),
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return translate(singular if count == 1 else plural)


@contextmanager
def german_messages() -> Iterator[None]:
    """argparse speaks German inside this block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
