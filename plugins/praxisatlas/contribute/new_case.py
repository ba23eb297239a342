"""The new-case wizard behind ``praxisatlas new``: a case file that passes validation.

Asks for each required field (German prompts listing the allowed values, asking again
on invalid input) or takes them as options; ``--non-interactive`` never asks. The file
gets the four body sections with guidance text to replace. An existing file is never
overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from praxisatlas.cases.hints import LEFTOVER_HINT_MESSAGE
from praxisatlas.cases.loader import (
    CASE_SUFFIX,
    Entry,
    LoadedFile,
    MappingNode,
    ScalarNode,
    load_bytes,
)
from praxisatlas.cases.model import DEFAULT_LICENSE, LICENSES, OPEN_TO, STATUSES
from praxisatlas.cases.reference import load_reference
from praxisatlas.cases.schema import (
    BODY_SECTION_HINTS,
    BODY_SECTIONS,
    FIELDS_BY_KEY,
    MAX_TOPICS,
    PLACEHOLDER_HINT,
    FieldSpec,
)
from praxisatlas.cases.validation import Context, FieldChecker, slugify, validate_loaded
from praxisatlas.cases.vocabulary import load_vocabulary


class Aborted(Exception):
    """Input ended (Ctrl-D) or a required value is missing in non-interactive mode."""


class _Form:
    """Collects and checks one value at a time, with the validator's own rules."""

    def __init__(self, args: argparse.Namespace, cases_dir: Path) -> None:
        self.args = args
        self.interactive = not args.non_interactive
        self.today = dt.date.today()
        existing = {p.name[: -len(CASE_SUFFIX)] for p in cases_dir.glob(f"*{CASE_SUFFIX}")}
        self.ctx = Context(load_vocabulary(), load_reference(), self.today, existing)
        self.existing = existing

    def problem(self, check: Callable[[FieldChecker], object]) -> str | None:
        checker = FieldChecker(LoadedFile(path="neu", id="neu"), self.ctx)
        result = check(checker)
        if checker.problems:
            return checker.problems[0].message
        return None if result is not None else "Ungültige Angabe"

    def string_problem(self, spec: FieldSpec, value: str) -> str | None:
        return self.problem(lambda c: c.check_string(spec, ScalarNode(1, value), spec.key))

    def ask(
        self,
        option: str,
        prompt: str,
        check: Callable[[str], str | None],
        given: str | None,
        default: str | None = None,
        optional: bool = False,
    ) -> str | None:
        """A checked value from the option, or asked for until it is valid."""
        if given is not None:
            error = check(given)
            if error is None:
                return given
            if not self.interactive:
                raise Aborted(f"--{option}: {error}")
            print(f"  {error}")
        elif not self.interactive:
            if default is not None:
                error = check(default)
                if error is not None:
                    raise Aborted(f"--{option}: {error}")
                return default
            if optional:
                return None
            raise Aborted(f"--{option} fehlt (oder ohne --non-interactive aufrufen)")
        suffix = (
            f" [{default}]" if default else (" (leer lassen zum Überspringen)" if optional else "")
        )
        while True:
            try:
                answer = input(f"{prompt}{suffix}: ").strip()
            except EOFError:
                raise Aborted("Eingabe beendet") from None
            if not answer:
                if default is not None:
                    error = check(default)
                    if error is None:
                        return default
                    print(f"  {error}")
                    continue
                if optional:
                    return None
                print("  Bitte einen Wert angeben.")
                continue
            error = check(answer)
            if error is None:
                return answer
            print(f"  {error}")

    def check_id(self, value: str) -> str | None:
        if value in self.existing:
            return f"Es gibt schon einen Fall '{value}'"
        checker = FieldChecker(LoadedFile(path="neu", id=value), self.ctx)
        checker.check_id()
        return checker.problems[0].message if checker.problems else None

    def check_ags(self, value: str) -> str | None:
        node = MappingNode(1, {"ags": Entry("ags", 1, ScalarNode(1, value))})
        raw = {"role": "lead", "ags": value}
        if value.isdigit() and len(value) == 8:
            return "Bitte den 5-stelligen Kreisschlüssel angeben (Gemeinden später in der Datei)"
        return self.problem(lambda c: c.organisation(raw, node, "ags"))

    def resolve_ags(self, value: str) -> str:
        """The Kreis key for a key or an unambiguous county name."""
        if value.isdigit():
            return value
        matches = self.ctx.reference.kreise_named(value)
        return matches[0].ags if len(matches) == 1 else value

    def check_topics(self, value: str) -> str | None:
        topics = [t.strip() for t in value.replace(";", ",").split(",") if t.strip()]
        if not 1 <= len(topics) <= MAX_TOPICS:
            return f"1 bis {MAX_TOPICS} Themen angeben, durch Komma getrennt"
        if len(set(topics)) != len(topics):
            return "Ein Thema ist doppelt angegeben"
        for topic in topics:
            error = self.topic_problem(topic)
            if error:
                return error
        return None

    def topic_problem(self, topic: str) -> str | None:
        return self.problem(lambda c: c.check_topic(topic, 1, "topics"))

    def check_choices(self, value: str, allowed: dict[str, str]) -> str | None:
        items = [v.strip() for v in value.split(",") if v.strip()]
        wrong = [v for v in items if v not in allowed]
        return f"Unbekannt: {', '.join(wrong)}; erlaubt: {', '.join(allowed)}" if wrong else None


def _field(key: str, nested: str | None = None) -> FieldSpec:
    spec = FIELDS_BY_KEY[key]
    if nested is None:
        return spec
    inner = spec.field(nested) or (spec.items.field(nested) if spec.items else None)
    assert inner is not None
    return inner


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def collect_values(form: _Form) -> dict[str, object]:
    a = form.args
    s = form.string_problem
    values: dict[str, object] = {}
    values["title"] = form.ask(
        "title", "Titel (höchstens 90 Zeichen)", lambda v: s(_field("title"), v), a.title
    )
    title = str(values["title"])
    values["id"] = form.ask(
        "id", "Kennung (Dateiname ohne .md)", form.check_id, a.id, default=slugify(title) or None
    )
    values["summary"] = form.ask(
        "summary",
        "Kurzbeschreibung (1–2 Sätze, höchstens 300 Zeichen)",
        lambda v: s(_field("summary"), v),
        a.summary,
    )
    values["ags"] = form.ask(
        "ags",
        "Federführender Kreis (Kreisschlüssel, z. B. 05162, oder Name)",
        form.check_ags,
        a.ags,
    )
    values["ags"] = form.resolve_ags(str(values["ags"]))
    if form.interactive and a.topic is None:
        vocabulary = form.ctx.vocabulary
        print("Themen (Handlungsfeld: Unterthemen):")
        for topic in vocabulary.fields:
            children = [c.slug for c in vocabulary.children(topic.slug) if not c.deprecated]
            print(f"  {topic.slug}: {', '.join(children)}")
    values["topics"] = form.ask(
        "topic",
        f"Themen (1 bis {MAX_TOPICS}, durch Komma getrennt)",
        form.check_topics,
        ",".join(a.topic) if a.topic else None,
    )
    values["status"] = form.ask(
        "status", f"Status [{', '.join(STATUSES)}]", lambda v: s(_field("status"), v), a.status
    )
    values["start"] = form.ask(
        "start", "Beginn (JJJJ oder JJJJ-MM)", lambda v: s(_field("start"), v), a.start
    )
    values["function"] = form.ask(
        "function",
        "Kontakt: Funktion oder Stelle",
        lambda v: s(_field("contact", "function"), v),
        a.function,
    )
    values["email"] = form.ask(
        "email",
        "Kontakt: E-Mail (Funktionspostfach)",
        lambda v: s(_field("contact", "email"), v),
        a.email,
        optional=True,
    )
    values["phone"] = form.ask(
        "phone",
        "Kontakt: Telefon",
        lambda v: s(_field("contact", "phone"), v),
        a.phone,
        optional=True,
    )
    values["open_to"] = form.ask(
        "open-to",
        f"Offen für [{', '.join(OPEN_TO)}], durch Komma getrennt",
        lambda v: form.check_choices(v, OPEN_TO),
        ",".join(a.open_to) if a.open_to else None,
        optional=True,
    )
    values["source_title"] = form.ask(
        "source-title", "Quelle: Titel", lambda v: s(_field("sources", "title"), v), a.source_title
    )
    values["source_url"] = form.ask(
        "source-url",
        "Quelle: Webadresse (https://…)",
        lambda v: s(_field("sources", "url"), v),
        a.source_url,
    )
    values["license"] = form.ask(
        "license",
        f"Lizenz [{', '.join(LICENSES)}]",
        lambda v: s(_field("license"), v),
        a.license,
        default=DEFAULT_LICENSE,
    )
    values["reviewed"] = form.ask(
        "reviewed",
        "Geprüft am (JJJJ-MM-TT)",
        lambda v: s(_field("reviewed"), v),
        a.reviewed,
        default=form.today.isoformat(),
    )
    return values


def render(values: dict[str, object]) -> str:
    """The case file text for collected values."""
    ags = str(values["ags"])
    lines = [
        "---",
        f"title: {_q(str(values['title']))}",
        f"summary: {_q(str(values['summary']))}",
        "organisations:",
        "  - role: lead",
        f"    ags: {_q(ags)}",
        "topics:",
        *(f"  - {t.strip()}" for t in str(values["topics"]).split(",") if t.strip()),
        f"status: {values['status']}",
        f"start: {_q(str(values['start']))}",
        "contact:",
        f"  function: {_q(str(values['function']))}",
    ]
    if values.get("email"):
        lines.append(f"  email: {values['email']}")
    if values.get("phone"):
        lines.append(f"  phone: {_q(str(values['phone']))}")
    if values.get("open_to"):
        items = [v.strip() for v in str(values["open_to"]).split(",") if v.strip()]
        lines.append(f"  open_to: [{', '.join(items)}]")
    lines += [
        "sources:",
        f"  - title: {_q(str(values['source_title']))}",
        f"    url: {values['source_url']}",
        f"reviewed: {values['reviewed']}",
        f"license: {values['license']}",
        "---",
        "",
    ]
    for section in BODY_SECTIONS:
        lines += [
            f"## {section}",
            "",
            f"{PLACEHOLDER_HINT} {BODY_SECTION_HINTS[section]}_",
            "",
        ]
    return "\n".join(lines)


def write_case(values: dict[str, object], form: _Form, cases_dir: Path) -> Path:
    """Validate the collected values as a case file and write it; never overwrite.

    Raises ``Aborted`` with every problem when the file would not validate.
    """
    case_id = str(values["id"])
    target = cases_dir / f"{case_id}{CASE_SUFFIX}"
    text = render(values)
    loaded = load_bytes(text.encode("utf-8"), target.as_posix(), case_id)
    _case, problems = validate_loaded(loaded, form.ctx)
    # The section hints are there for the contributor to replace (validate refuses them).
    problems = [p for p in problems if p.message != LEFTOVER_HINT_MESSAGE]
    if problems:
        raise Aborted("\n".join(str(problem) for problem in problems))
    try:
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise Aborted(f"{target.as_posix()} existiert schon; nichts überschrieben.") from None
    return target
