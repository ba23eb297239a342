"""The new-case wizard behind ``praxisatlas new``: a case file that passes validation.

Asks for each required field (German prompts listing the allowed values, asking again
on invalid input) or takes them as options; ``--non-interactive`` never asks. A Kreis
given by name is shown as resolved ("Harz" → Landkreis Harz, 15085) and confirmed; more
than one source may be given, and optionally effort, outcomes and transferability. The
editorial "reviewed" date is not asked for: it is today until a maintainer reviews the
case. The file gets the four body sections with guidance text to replace. An existing
file is never overwritten; a taken id comes with a free one to use instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from functools import partial
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
from praxisatlas.cases.model import (
    COST_BANDS,
    DEFAULT_LICENSE,
    DURATION_BANDS,
    LICENSES,
    OPEN_TO,
    STAFF_BANDS,
    STATUSES,
)
from praxisatlas.cases.reference import Kreis, load_reference
from praxisatlas.cases.schema import (
    BODY_SECTION_HINTS,
    BODY_SECTIONS,
    FIELDS_BY_KEY,
    MAX_TOPICS,
    PLACEHOLDER_HINT,
    FieldSpec,
)
from praxisatlas.cases.validation import Context, FieldChecker, validate_loaded
from praxisatlas.cases.vocabulary import load_vocabulary
from praxisatlas.cases.writer import case_text
from praxisatlas.contribute.issue_import import case_id_from_title

# Short forms of "Landkreis" people type ("LK Harz", "Lkr. Görlitz").
_LANDKREIS_RE = re.compile(r"^(?:LK|Lkr|Lk|Ldkr|Landkr)\.?\s+", re.IGNORECASE)
_EVIDENCE_SUFFIX_RE = re.compile(r"\s*\((gemessen|geschätzt|geschaetzt|berichtet)\)\s*$", re.I)


def kreis_name(value: str) -> str:
    """A county name with a short form of "Landkreis" written out."""
    return _LANDKREIS_RE.sub("Landkreis ", value.strip(), count=1)


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

    def free_id(self, base: str) -> str:
        """``base`` if no case has it, else the first free ``base-2``, ``base-3`` …"""
        if base not in self.existing:
            return base
        number = 2
        while f"{base}-{number}" in self.existing:
            number += 1
        return f"{base}-{number}"

    def check_id(self, value: str) -> str | None:
        if value in self.existing:
            return f"Es gibt schon einen Fall '{value}'; frei ist z. B. '{self.free_id(value)}'"
        checker = FieldChecker(LoadedFile(path="neu", id=value), self.ctx)
        checker.check_id()
        return checker.problems[0].message if checker.problems else None

    def check_ags(self, value: str) -> str | None:
        value = kreis_name(value)
        node = MappingNode(1, {"ags": Entry("ags", 1, ScalarNode(1, value))})
        raw = {"role": "lead", "ags": value}
        if value.isdigit() and len(value) == 8:
            return "Bitte den 5-stelligen Kreisschlüssel angeben (Gemeinden später in der Datei)"
        return self.problem(lambda c: c.organisation(raw, node, "ags"))

    def resolve_kreis(self, value: str) -> Kreis | None:
        """The Kreis for a valid key or an unambiguous county name."""
        reference = self.ctx.reference
        if value.isdigit():
            return reference.kreis_by_ags.get(value)
        matches = reference.kreise_named(kreis_name(value))
        return matches[0] if len(matches) == 1 else None

    def confirm(self, prompt: str) -> bool:
        """A yes/no question (interactive only); Enter means yes."""
        while True:
            try:
                answer = input(f"{prompt} [J/n]: ").strip().lower()
            except EOFError:
                raise Aborted("Eingabe beendet") from None
            if answer in ("", "j", "ja", "y", "yes"):
                return True
            if answer in ("n", "nein", "no"):
                return False
            print("  Bitte j (ja) oder n (nein) eingeben.")

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

    def check_outcome(self, value: str) -> str | None:
        text, _evidence = split_outcome(value)
        return self.string_problem(_field("outcomes", "text"), text)

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


def split_outcome(value: str) -> tuple[str, str]:
    """ "Text (gemessen)" → ("Text", "gemessen"); without a note the evidence is "berichtet"."""
    match = _EVIDENCE_SUFFIX_RE.search(value)
    if not match:
        return value.strip(), "berichtet"
    evidence = match.group(1).lower().replace("ä", "ae")
    return value[: match.start()].strip(), evidence


def _checker(form: _Form, spec: FieldSpec) -> Callable[[str], str | None]:
    return lambda value: form.string_problem(spec, value)


def _kreis_line(form: _Form, kreis: Kreis) -> str:
    land = form.ctx.reference.land_of(kreis).name
    return f"{kreis.label} ({kreis.ags}), {land}"


def _ask_kreis(form: _Form) -> str:
    """The lead Kreis key; a name is shown as resolved and, when asking, confirmed."""
    given: str | None = form.args.ags
    while True:
        value = str(
            form.ask(
                "ags",
                "Federführender Kreis (Kreisschlüssel, z. B. 05162, oder Name)",
                form.check_ags,
                given,
            )
        )
        kreis = form.resolve_kreis(value)
        if kreis is None or value.isdigit():
            return kreis.ags if kreis is not None else value
        print(f"  → {_kreis_line(form, kreis)}")
        if not form.interactive or form.confirm("  Ist das der gemeinte Kreis?"):
            return kreis.ags
        given = None


def _ask_sources(form: _Form) -> list[tuple[str, str]]:
    """One source or more: options in pairs, or asked until an empty title."""
    a = form.args
    s = form.string_problem
    titles: list[str] = list(a.source_title or [])
    urls: list[str] = list(a.source_url or [])
    if len(titles) != len(urls):
        raise Aborted(
            f"--source-title und --source-url bitte paarweise angeben "
            f"({len(titles)} Titel, {len(urls)} Adressen)"
        )
    check_title = lambda v: s(_field("sources", "title"), v)  # noqa: E731
    check_url = lambda v: s(_field("sources", "url"), v)  # noqa: E731
    sources: list[tuple[str, str]] = []
    for title, url in zip(titles, urls, strict=True):
        sources.append(
            (
                str(form.ask("source-title", "Quelle: Titel", check_title, title)),
                str(form.ask("source-url", "Quelle: Webadresse", check_url, url)),
            )
        )
    if not sources:
        first_title = form.ask("source-title", "Quelle: Titel", check_title, None)
        first_url = form.ask("source-url", "Quelle: Webadresse (https://…)", check_url, None)
        sources.append((str(first_title), str(first_url)))
    limit = _field("sources").max_length or 20
    while form.interactive and a.source_title is None and len(sources) < limit:
        more = form.ask(
            "source-title",
            f"Weitere Quelle ({len(sources) + 1}.): Titel",
            check_title,
            None,
            optional=True,
        )
        if more is None:
            break
        more_url = form.ask("source-url", "Webadresse (https://…)", check_url, None)
        sources.append((more, str(more_url)))
    return sources


def _ask_outcomes(form: _Form) -> list[tuple[str, str]]:
    """Optional outcomes, "Text (gemessen|geschätzt|berichtet)"."""
    given: list[str] = list(form.args.outcome or [])
    answers = [form.ask("outcome", "Ergebnis", form.check_outcome, v) for v in given]
    limit = _field("outcomes").max_length or 10
    while form.interactive and not given and len(answers) < limit:
        answer = form.ask(
            "outcome",
            "Ergebnis in einem Satz, am Ende wie belegt: (gemessen), (geschätzt) oder (berichtet)",
            form.check_outcome,
            None,
            optional=True,
        )
        if answer is None:
            break
        answers.append(answer)
    return [split_outcome(str(answer)) for answer in answers]


def collect_values(form: _Form) -> dict[str, object]:
    a = form.args
    s = form.string_problem
    values: dict[str, object] = {}
    values["title"] = form.ask(
        "title",
        f"Titel ({_field('title').limit_text})",
        lambda v: s(_field("title"), v),
        a.title,
    )
    title = str(values["title"])
    generated = case_id_from_title(title)
    values["id"] = form.ask(
        "id",
        "Kennung (Dateiname ohne .md)",
        form.check_id,
        a.id,
        default=form.free_id(generated) if generated else None,
    )
    values["summary"] = form.ask(
        "summary",
        f"Kurzbeschreibung (1–2 Sätze, {_field('summary').limit_text})",
        lambda v: s(_field("summary"), v),
        a.summary,
    )
    values["ags"] = _ask_kreis(form)
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
    for key, label in (
        ("email", "Kontakt: E-Mail (Funktionspostfach)"),
        ("phone", "Kontakt: Telefon"),
    ):
        check = partial(s, _field("contact", key))
        values[key] = form.ask(key, label, check, getattr(a, key), optional=True)
    values["open_to"] = form.ask(
        "open-to",
        f"Offen für [{', '.join(OPEN_TO)}], durch Komma getrennt",
        lambda v: form.check_choices(v, OPEN_TO),
        ",".join(a.open_to) if a.open_to else None,
        optional=True,
    )
    values["sources"] = _ask_sources(form)
    values["license"] = form.ask(
        "license",
        f"Lizenz [{', '.join(LICENSES)}]",
        lambda v: s(_field("license"), v),
        a.license,
        default=DEFAULT_LICENSE,
    )
    if form.interactive:
        print("Freiwillige Angaben (leer lassen zum Überspringen):")
    effort: dict[str, str] = {}
    for key, label, bands in (
        ("cost", "Aufwand: Kosten", COST_BANDS),
        ("staff", "Aufwand: Personal", STAFF_BANDS),
        ("duration", "Aufwand: Dauer", DURATION_BANDS),
    ):
        band_spec = _field("effort", key)
        band = form.ask(
            key,
            f"{label} [{', '.join(bands)}]",
            _checker(form, band_spec),
            getattr(a, key),
            optional=True,
        )
        if band:
            effort[key] = band
    values["effort"] = effort
    values["outcomes"] = _ask_outcomes(form)
    values["transferability"] = form.ask(
        "transferability",
        "Übertragbarkeit: Was brauchen andere Kommunen für eine Nachnutzung?",
        lambda v: s(_field("transferability"), v),
        a.transferability,
        optional=True,
    )
    # Editorial: a maintainer sets it on review; never asked, but checked when given.
    values["reviewed"] = form.ask(
        "reviewed",
        "Geprüft am",
        lambda v: s(_field("reviewed"), v),
        a.reviewed or form.today.isoformat(),
    )
    return values


def _items(value: object) -> list[str]:
    return [item.strip() for item in str(value).split(",") if item.strip()]


def render(values: dict[str, object]) -> str:
    """The case file text for collected values."""
    contact: dict[str, object] = {"function": str(values["function"])}
    for key in ("email", "phone"):
        if values.get(key):
            contact[key] = str(values[key])
    if values.get("open_to"):
        contact["open_to"] = _items(values["open_to"])
    sources = values["sources"]
    assert isinstance(sources, list)
    front: dict[str, object] = {
        "title": str(values["title"]),
        "summary": str(values["summary"]),
        "organisations": [{"role": "lead", "ags": str(values["ags"])}],
        "topics": _items(values["topics"]),
        "status": str(values["status"]),
        "start": str(values["start"]),
        "contact": contact,
        "sources": [{"title": title, "url": url} for title, url in sources],
        "reviewed": str(values["reviewed"]),
        "license": str(values["license"]),
    }
    effort = values.get("effort")
    if isinstance(effort, dict) and effort:
        front["effort"] = {key: str(value) for key, value in effort.items()}
    outcomes = values.get("outcomes")
    if isinstance(outcomes, list) and outcomes:
        front["outcomes"] = [{"text": text, "evidence": evidence} for text, evidence in outcomes]
    if values.get("transferability"):
        front["transferability"] = str(values["transferability"])
    body = "\n".join(
        f"## {section}\n\n{PLACEHOLDER_HINT} {BODY_SECTION_HINTS[section]}_\n"
        for section in BODY_SECTIONS
    )
    return case_text(front, body, comments={"reviewed": "setzt die Redaktion bei der Prüfung"})


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
