"""Turn a "Neuer Fall" issue into a case file, or say in German what is missing.

Input is the issue body as GitHub renders an issue form (``### Label``, blank line,
value; ``_No response_`` for empty optional fields; multi-select values joined with
", "; checkboxes as ``- [X] …``) or the filled GitLab description template (same
headings, hints in HTML comments, a `` *`` after required labels). The result is
validated with the same validator as every case file before it is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from praxisatlas.cases.case_rules import slugify
from praxisatlas.cases.reference import Kreis, Reference, load_reference
from praxisatlas.cases.schema import BODY_SECTIONS, FIELDS, ID_MAX_LENGTH, MAX_TOPICS, FieldSpec
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary
from praxisatlas.cases.writer import case_text
from praxisatlas.contribute.form_answers import (
    FormAnswers,
    code_fence,
    field_label,
    fold,
    parse_sections,
    problems_comment,
    validate_text,
)
from praxisatlas.contribute.issue_form import FormField, form_fields, spec

_URL_RE = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_KEY_RE = re.compile(r"^\d{5}$|^\d{8}$")
_EVIDENCE_RE = re.compile(r"\s*\((gemessen|geschätzt|geschaetzt|berichtet)\)\s*\.?$", re.I)
_ROLE_PREFIXES = {"nachnutzer": "adopter", "partner": "partner", "federführung": "lead"}


@dataclass
class ImportResult:
    """The case id, the file text (when complete) and every problem (German)."""

    case_id: str
    text: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.text)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _in_order(values: dict[str, Any], specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """The answers in the order of the declarations; an optional field only when given
    (a required one also when empty, so that the validator names it)."""
    front: dict[str, Any] = {}
    for declared in specs:
        if declared.key not in values:
            continue
        value = values[declared.key]
        if declared.type == "object" and isinstance(value, dict):
            value = _in_order(value, declared.fields)
        if declared.required or not _empty(value):
            front[declared.key] = value
    return front


def _put(values: dict[str, Any], path: str, value: Any) -> None:
    *parents, key = path.split(".")
    for parent in parents:
        values = values.setdefault(parent, {})
    values[key] = value


class NewCaseAnswers(FormAnswers):
    """The answers of a "Neuer Fall" issue as the front matter and body of a case.

    A form field whose ``target`` is a declared front-matter path is read by the kind of
    form element (text, choice, choices) and written to that path; the targets in
    ``_READERS`` (organisations, lists written one item a line, licence, consent,
    software) have readers of their own.
    """

    # --- organisations ---------------------------------------------------------------

    def kreis(self, text: str, land_code: str | None) -> Kreis | list[Kreis] | None:
        """The Kreis named or keyed by ``text``: one, several candidates, or None."""
        text = text.strip()
        if _KEY_RE.match(text):
            return self.reference.kreis_by_ags.get(text[:5])
        candidates = self.reference.kreise_named(text)
        if land_code and len(candidates) > 1:
            candidates = [k for k in candidates if k.land_code == land_code] or candidates
        if len(candidates) == 1:
            return candidates[0]
        return candidates or None

    def _describe(self, kreise: list[Kreis]) -> str:
        return " oder ".join(f"„{k.label}“ ({k.ags})" for k in kreise)

    def lead(self, land_code: str | None) -> dict[str, Any] | None:
        raw = self.text("kreis", one_line=True)
        if not raw:
            return None
        found = self.kreis(raw, land_code)
        if isinstance(found, Kreis):
            if land_code and found.land_code != land_code:
                land = self.reference.land_by_code[land_code].name
                self.problem(
                    "kreis", f"„{found.label}“ ({found.ags}) liegt nicht in {land}; bitte prüfen"
                )
                return None
            return {"role": "lead", "ags": found.ags}
        if isinstance(found, list):
            self.problem("kreis", f"„{raw}“ ist nicht eindeutig: {self._describe(found)}?")
            return None
        if _KEY_RE.match(raw):
            self.problem("kreis", f"{raw} ist kein aktueller Kreisschlüssel")
            return None
        hints = self.reference.suggest_kreise(raw)
        hint = f" Meinten Sie {self._describe(hints)}?" if hints else ""
        self.problem("kreis", f"„{raw}“ ist kein Kreis und keine kreisfreie Stadt.{hint}")
        return None

    def partners(self, land_code: str | None) -> list[dict[str, Any]]:
        result = []
        for number, line in enumerate(self.lines("partner"), start=1):
            role = "partner"
            prefix, sep, rest = line.partition(":")
            if sep and fold(prefix) in _ROLE_PREFIXES:
                role, line = _ROLE_PREFIXES[fold(prefix)], rest.strip()
            named = re.match(r"^(.*?)\s*\(([^()]+)\)$", line)
            if named and re.fullmatch(r"\d{8}", named.group(2).strip()):
                key = named.group(2).strip()
                if key[:5] not in self.reference.kreis_by_ags:
                    self.problem("partner", f"Zeile {number}: {key} gehört zu keinem Kreis")
                    continue
                result.append({"role": role, "ags": key, "name": named.group(1).strip()})
                continue
            found = self.kreis(line, land_code)
            if isinstance(found, Kreis):
                result.append({"role": role, "ags": found.ags})
            elif isinstance(found, list) and not named:
                self.problem(
                    "partner",
                    f"Zeile {number}: „{line}“ ist nicht eindeutig: {self._describe(found)}?",
                )
            elif named:
                result.append(
                    {"role": role, "name": named.group(1).strip(), "kind": named.group(2).strip()}
                )
            else:
                self.problem(
                    "partner",
                    f"Zeile {number}: „{line}“ ist kein Kreis; andere Organisationen bitte als "
                    "„Name (Art)“ angeben, z. B. „Zweckverband KDN (IT-Dienstleister)“",
                )
        return result

    # --- lists -----------------------------------------------------------------------

    def sources(self) -> list[dict[str, str]]:
        result = []
        for number, line in enumerate(self.lines("sources"), start=1):
            link = _MD_LINK_RE.search(line)
            if link:
                title, url = link.group(1).strip(), link.group(2)
                rest = (line[: link.start()] + line[link.end() :]).strip(" -–—:|,;")
                title = title or rest
            else:
                match = _URL_RE.search(line)
                if not match:
                    self.problem(
                        "sources", f"Zeile {number}: keine Webadresse (https://…) gefunden"
                    )
                    continue
                url = match.group(0)
                title = (line[: match.start()] + line[match.end() :]).strip(" -–—:|,;")
            if not title:
                title = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
            result.append({"title": title, "url": url})
        return result

    def outcomes(self) -> list[dict[str, str]]:
        result = []
        for line in self.lines("outcomes"):
            evidence = "berichtet"
            match = _EVIDENCE_RE.search(line)
            if match:
                evidence = match.group(1).lower().replace("ä", "ae")
                line = line[: match.start()].rstrip()
            result.append({"text": line, "evidence": evidence})
        return result

    def funding(self) -> list[dict[str, str]]:
        result = []
        for line in self.lines("funding"):
            match = re.match(r"^(.*?)\s*\(([^()]+)\)$", line)
            if match:
                result.append({"programme": match.group(1), "provider": match.group(2)})
            else:
                result.append({"programme": line})
        return result

    def body(self) -> str:
        parts = []
        for section in BODY_SECTIONS:
            field_id = next(f.id for f in self.fields.values() if f.target == f"body:{section}")
            text = self.text(field_id)
            # A contributor's own "#"/"##" headings would break the section structure.
            text = re.sub(r"^#{1,2}(\s)", r"###\1", text, flags=re.M)
            parts.append(f"## {section}\n\n{text}\n")
        return "\n".join(parts)

    # --- the whole case --------------------------------------------------------------

    def front_matter(self, reviewed: dt.date) -> dict[str, Any]:
        """The front matter, keys in the order of ``FIELDS``; problems in ``problems``."""
        values: dict[str, Any] = {"reviewed": reviewed.isoformat()}
        for form in self.fields.values():
            if form.target.startswith("body:"):
                continue
            reader = _READERS.get(form.target, NewCaseAnswers.read_declared)
            reader(self, form, values)
        software = values.get("software", {})
        if "open_source" not in software and any(software.values()):
            self.problem("software_open_source", "bitte angeben, ob die Software Open Source ist")
        if "open_source" not in software:
            values.pop("software", None)
        return _in_order(values, FIELDS)

    def read_declared(self, form: FormField, values: dict[str, Any]) -> None:
        """A form field answering one declared front-matter path."""
        spec(form.target)  # a KeyError here is a form field without a declaration
        value: Any
        if form.kind == "dropdown":
            value = self.choices(form.id) if form.multiple else self.choice(form.id)
        else:
            value = self.text(form.id, one_line=True)
        _put(values, form.target, value)

    def read_organisations(self, form: FormField, values: dict[str, Any]) -> None:
        """Land, lead and partners: three form fields, one front-matter list."""
        if form.target == "lead.land":
            values["lead.land"] = self.choice(form.id)
            return
        land_code = values.get("lead.land")
        organisations = values.setdefault("organisations", [])
        if form.target == "lead.kreis":
            lead = self.lead(land_code)
            organisations += [lead] if lead else []
        else:
            organisations += self.partners(land_code)

    def read_topics(self, form: FormField, values: dict[str, Any]) -> None:
        topics = self.choices(form.id)
        if len(topics) > MAX_TOPICS:
            self.problem(
                form.id, f"höchstens {MAX_TOPICS} Themen auswählen ({len(topics)} gewählt)"
            )
        values["topics"] = topics

    def read_license(self, form: FormField, values: dict[str, Any]) -> None:
        licence = self.checked(form.id)
        if not licence:
            self.problem(form.id, "ohne Zustimmung zur Lizenz kann der Fall nicht erscheinen")
        values["license"] = licence[0] if licence else ""

    def read_consent(self, form: FormField, _values: dict[str, Any]) -> None:
        consent = self.checked(form.id)
        for option, value in zip(form.options, form.values, strict=True):
            if value not in consent:
                self.problem(form.id, f"nicht bestätigt: „{option}“")

    def read_open_source(self, form: FormField, values: dict[str, Any]) -> None:
        open_source = self.choice(form.id)
        if open_source is not None:
            _put(values, form.target, open_source == "true")


_Reader = Callable[[NewCaseAnswers, FormField, dict[str, Any]], None]
# Form targets with a reader of their own; every other target is a declared path.
_READERS: dict[str, _Reader] = {
    "lead.land": NewCaseAnswers.read_organisations,
    "lead.kreis": NewCaseAnswers.read_organisations,
    "partners": NewCaseAnswers.read_organisations,
    "topics": NewCaseAnswers.read_topics,
    "sources": lambda answers, _form, values: values.update(sources=answers.sources()),
    "outcomes": lambda answers, _form, values: values.update(outcomes=answers.outcomes()),
    "funding": lambda answers, _form, values: values.update(funding=answers.funding()),
    "license": NewCaseAnswers.read_license,
    "consent": NewCaseAnswers.read_consent,
    "software.open_source": NewCaseAnswers.read_open_source,
}


# Words an id should not end on once it is shortened ("…-schulverwaltung-fuer").
_TRAILING_WORDS = frozenset(
    [
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "beim",
        "das",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "durch",
        "ein",
        "eine",
        "einer",
        "fuer",
        "gegen",
        "im",
        "in",
        "ins",
        "mit",
        "nach",
        "ohne",
        "per",
        "pro",
        "ueber",
        "um",
        "und",
        "unter",
        "vom",
        "von",
        "vor",
        "zu",
        "zum",
        "zur",
    ]
)


def case_id_from_title(title: str, limit: int = 60) -> str:
    """A case id from the title, cut between words (ids end up in URLs).

    A shortened id does not end on a filler word like "fuer" or "und".
    """
    words = slugify(title).split("-")
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > min(limit, ID_MAX_LENGTH):
            break
        kept.append(word)
    if not kept:
        return slugify(title)[:limit].rstrip("-")
    if len(kept) < len(words):
        while len(kept) > 1 and kept[-1] in _TRAILING_WORDS:
            kept.pop()
    return "-".join(kept)


def build_case(
    body: str,
    case_id: str | None = None,
    today: dt.date | None = None,
    cases_dir: Path | None = None,
    vocabulary: Vocabulary | None = None,
    reference: Reference | None = None,
) -> ImportResult:
    """Build and validate the case file for an issue body (nothing is written)."""
    vocabulary = vocabulary or load_vocabulary()
    reference = reference or load_reference()
    today = today or dt.date.today()
    fields = form_fields(vocabulary, reference)
    answers = parse_sections(body, fields)
    if not answers:
        return ImportResult(
            case_id or "",
            problems=[
                "Der Text enthält keine Überschriften des Formulars „Neuer Fall“ "
                "(### Titel des Falls, ### Kurzbeschreibung, …)."
            ],
        )
    builder = NewCaseAnswers(answers, fields, vocabulary, reference)
    front = builder.front_matter(today)
    text = case_text(front, builder.body())
    title = str(front.get("title") or "")
    case_id = case_id or case_id_from_title(title)
    result = ImportResult(case_id, problems=list(builder.problems))
    if not case_id:
        result.problems.append("Kennung: aus dem Titel lässt sich keine Kennung bilden (--id)")
    elif cases_dir is not None and (cases_dir / f"{case_id}.md").exists():
        result.problems.append(
            f"Kennung: cases/{case_id}.md gibt es schon; bitte mit --id eine andere wählen"
        )
    # The validator runs even when the form answers had problems, so that one round of
    # editing the issue fixes everything; it does not repeat what a field already said.
    reported = builder.reported
    for problem in validate_text(text, case_id or "neuer-fall", vocabulary, reference, today):
        label = field_label(problem.field, fields)
        if label not in reported:
            result.problems.append(f"{label}: {problem.message}")
    if not result.problems:
        result.text = text
    return result


def issue_comment(result: ImportResult) -> str:
    """A German reply for the issue: what is missing, or a preview of the case file."""
    if not result.ok:
        return problems_comment(
            "Danke für den Vorschlag! Bevor die Redaktion den Fall übernehmen kann, fehlt noch "
            "etwas oder passt nicht:",
            result.problems,
        )
    fence = code_fence(result.text)
    lines = [
        "Danke für den Vorschlag! Die Angaben sind vollständig. Die Redaktion prüft die "
        f"Quellen und legt dann die Datei `cases/{result.case_id}.md` an:",
        "",
        "<details><summary>Vorschau der Fall-Datei</summary>",
        "",
        f"{fence}markdown",
        result.text.rstrip("\n"),
        fence,
        "",
        "</details>",
    ]
    return "\n".join(lines) + "\n"
