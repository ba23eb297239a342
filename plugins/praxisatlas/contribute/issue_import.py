"""Turn a "Neuer Fall" issue into a case file, or say in German what is missing.

Input is the issue body as GitHub renders an issue form (``### Label``, blank line,
value; ``_No response_`` for empty optional fields; multi-select values joined with
", "; checkboxes as ``- [X] …``) or the filled GitLab description template (same
headings, hints in HTML comments, a `` *`` after required labels). The result is
validated with the same validator as every case file before it is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from praxisatlas.cases.case_rules import slugify
from praxisatlas.cases.loader import load_bytes
from praxisatlas.cases.problems import Problem
from praxisatlas.cases.reference import Kreis, Reference, load_reference
from praxisatlas.cases.schema import BODY_SECTIONS, ID_MAX_LENGTH, MAX_TOPICS
from praxisatlas.cases.validation import Context, validate_loaded
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary
from praxisatlas.cases.writer import case_text
from praxisatlas.contribute.issue_form import NO_RESPONSE, FormField, form_fields

_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_URL_RE = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_CHECKBOX_RE = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*?)\s*$")
_KEY_RE = re.compile(r"^\d{5}$|^\d{8}$")
_EVIDENCE_RE = re.compile(r"\s*\((gemessen|geschätzt|geschaetzt|berichtet)\)\s*\.?$", re.I)
_BULLET_RE = re.compile(r"^(?:[-*•]|\d+[.)])\s+")
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


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def _choice_key(text: str) -> str:
    """A folded answer with one spelling of the Handlungsfeld separator (› or >)."""
    return re.sub(r"\s*[›>]\s*", " › ", _fold(text))


def parse_sections(body: str, fields: list[FormField]) -> dict[str, str]:
    """Form field id → the raw answer; headings that are not form labels stay content."""
    by_label = {_fold(f.label): f.id for f in fields}
    answers: dict[str, list[str]] = {}
    current: str | None = None
    text = _COMMENT_RE.sub("", body.replace("\r\n", "\n").replace("\r", "\n"))
    for line in text.split("\n"):
        match = re.match(r"^###\s+(.*?)\s*$", line)
        if match:
            label = re.sub(r"\s*\*$", "", match.group(1))
            if _fold(label) in by_label:
                current = by_label[_fold(label)]
                answers[current] = []
                continue
        if current is not None:
            answers[current].append(line)
    result = {}
    for key, lines in answers.items():
        value = "\n".join(lines).strip()
        result[key] = "" if value == NO_RESPONSE else value
    return result


class _Builder:
    def __init__(
        self,
        answers: dict[str, str],
        fields: list[FormField],
        vocabulary: Vocabulary,
        reference: Reference,
    ) -> None:
        self.answers = answers
        self.fields = {f.id: f for f in fields}
        self.vocabulary = vocabulary
        self.reference = reference
        self.problems: list[str] = []
        self.reported: set[str] = set()

    def problem(self, field_id: str, message: str) -> None:
        label = self.fields[field_id].label
        self.problems.append(f"{label}: {message}")
        self.reported.add(label)

    def text(self, field_id: str, one_line: bool = False) -> str:
        value = self.answers.get(field_id, "").strip()
        if one_line:
            value = " ".join(value.split())
        if not value and self.fields[field_id].required:
            self.problem(field_id, "fehlt (Pflichtfeld)")
        return value

    def lines(self, field_id: str) -> list[str]:
        """Non-empty lines, without list bullets ("- ", "* ", "• ", "1. ")."""
        stripped = (
            _BULLET_RE.sub("", line.strip(), count=1) for line in self.text(field_id).split("\n")
        )
        return [line.strip() for line in stripped if line.strip()]

    def choice(self, field_id: str) -> str | None:
        """Value of a single-choice dropdown (its label, or for GitLab also the value)."""
        form = self.fields[field_id]
        raw = self.text(field_id, one_line=True)
        if not raw:
            return None
        for option, value in zip(form.options, form.values, strict=True):
            if _fold(raw) in (_fold(option), _fold(value)):
                return value
        message = self._unknown(form, raw)
        if len(form.options) <= 6 and "meinten Sie" not in message:
            message += f" ({'; '.join(form.options)})"
        self.problem(field_id, message)
        return None

    def choices(self, field_id: str) -> list[str]:
        """Values of a multi-select: options joined with ", " (labels may contain commas).

        Also accepted: each value itself, the field's aliases (a unique sub-topic label
        alone), and ">" for the "›" between Handlungsfeld and Unterthema.
        """
        form = self.fields[field_id]
        raw = self.text(field_id, one_line=True)
        lookup = {_choice_key(o): v for o, v in zip(form.options, form.values, strict=True)}
        for text, value in (*((v, v) for v in form.values), *form.aliases):
            lookup.setdefault(_choice_key(text), value)
        keys = sorted(lookup, key=len, reverse=True)
        rest = _choice_key(raw)
        found: list[str] = []
        while rest:
            for key in keys:
                if rest == key or rest.startswith(key + ","):
                    found.append(lookup[key])
                    rest = rest[len(key) :].lstrip(", ")
                    break
            else:
                unknown, _sep, rest = rest.partition(",")
                self.problem(field_id, self._unknown(form, unknown.strip()))
                rest = rest.strip()
        return list(dict.fromkeys(found))

    @staticmethod
    def _unknown(form: FormField, value: str) -> str:
        names = {_fold(o): o for o in form.options} | {_fold(v): v for v in form.values}
        close = difflib.get_close_matches(_fold(value), list(names), n=3, cutoff=0.6)
        hint = " oder ".join(f"„{names[c]}“" for c in close)
        hint = f"; meinten Sie {hint}?" if hint else ""
        return f"„{value}“ ist keine der möglichen Angaben{hint}"

    def checked(self, field_id: str) -> list[str]:
        form = self.fields[field_id]
        ticked = {
            _fold(m.group(2))
            for line in self.answers.get(field_id, "").split("\n")
            if (m := _CHECKBOX_RE.match(line)) and m.group(1) in "xX"
        }
        return [v for o, v in zip(form.options, form.values, strict=True) if _fold(o) in ticked]

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
            if sep and _fold(prefix) in _ROLE_PREFIXES:
                role, line = _ROLE_PREFIXES[_fold(prefix)], rest.strip()
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
        front: dict[str, Any] = {}
        front["title"] = self.text("title", one_line=True)
        front["summary"] = self.text("summary", one_line=True)
        land_code = self.choice("land")
        lead = self.lead(land_code)
        front["organisations"] = ([lead] if lead else []) + self.partners(land_code)
        topics = self.choices("topics")
        if len(topics) > MAX_TOPICS:
            self.problem(
                "topics", f"höchstens {MAX_TOPICS} Themen auswählen ({len(topics)} gewählt)"
            )
        front["topics"] = topics
        front["status"] = self.choice("status")
        front["start"] = self.text("start", one_line=True)
        end = self.text("end", one_line=True)
        if end:
            front["end"] = end
        contact: dict[str, Any] = {"function": self.text("contact_function", one_line=True)}
        for key in ("email", "phone", "url"):
            value = self.text(f"contact_{key}", one_line=True)
            if value:
                contact[key] = value
        open_to = self.choices("open_to")
        if open_to:
            contact["open_to"] = open_to
        front["contact"] = contact
        front["sources"] = self.sources()
        front["reviewed"] = reviewed.isoformat()
        licence = self.checked("license")
        if not licence:
            self.problem("license", "ohne Zustimmung zur Lizenz kann der Fall nicht erscheinen")
        front["license"] = licence[0] if licence else ""
        rights_holder = self.text("rights_holder", one_line=True)
        if rights_holder:
            front["rights_holder"] = rights_holder
        consent = self.checked("consent")
        for option, value in zip(
            self.fields["consent"].options, self.fields["consent"].values, strict=True
        ):
            if value not in consent:
                self.problem("consent", f"nicht bestätigt: „{option}“")
        funding = self.funding()
        if funding:
            front["funding"] = funding
        effort: dict[str, str] = {}
        for key in ("cost", "staff", "duration"):
            band = self.choice(f"effort_{key}")
            if band:
                effort[key] = band
        note = self.text("effort_note", one_line=True)
        if note:
            effort["note"] = note
        if effort:
            front["effort"] = effort
        outcomes = self.outcomes()
        if outcomes:
            front["outcomes"] = outcomes
        transferability = self.text("transferability", one_line=True)
        if transferability:
            front["transferability"] = transferability
        software: dict[str, Any] = {}
        open_source = self.choice("software_open_source")
        for key in ("name", "license", "repository"):
            value = self.text(f"software_{key}", one_line=True)
            if value:
                software[key] = value
        if open_source is not None:
            software = {"open_source": open_source == "true", **software}
        elif software:
            self.problem("software_open_source", "bitte angeben, ob die Software Open Source ist")
        if software and open_source is not None:
            front["software"] = software
        return front


def _field_label(field_path: str, fields: list[FormField]) -> str:
    """A German form label for a validator field path like ``contact.email``."""
    base = re.sub(r"\[\d+\]", "", field_path)
    for candidate in (base, base.split(".")[0]):
        for form in fields:
            if form.target == candidate:
                return form.label
    if base.split(".")[0] == "organisations":
        # The lead comes first in the file; an empty list means the lead was not found.
        index = re.search(r"\[(\d+)\]", field_path)
        target = "lead.kreis" if index is None or index.group(1) == "0" else "partners"
        return next((form.label for form in fields if form.target == target), "Beteiligte")
    if base == "body":
        return "Text"
    return field_path


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
    builder = _Builder(answers, fields, vocabulary, reference)
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
    for problem in _validate_text(text, case_id or "neuer-fall", vocabulary, reference, today):
        label = _field_label(problem.field, fields)
        if label not in reported:
            result.problems.append(f"{label}: {problem.message}")
    if not result.problems:
        result.text = text
    return result


def _validate_text(
    text: str,
    case_id: str,
    vocabulary: Vocabulary,
    reference: Reference,
    today: dt.date,
    known: set[str] | None = None,
) -> list[Problem]:
    """The validator's problems with a case file text (as if it were cases/<id>.md)."""
    loaded = load_bytes(text.encode("utf-8"), f"cases/{case_id}.md", case_id)
    if loaded.front is None:
        return loaded.problems
    ctx = Context(vocabulary, reference, today, known)
    _case, problems = validate_loaded(loaded, ctx)
    return problems


def _fence(text: str) -> str:
    """A code fence longer than any backtick run in ``text`` (it cannot be closed early)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _comment_line(text: str) -> str:
    """One problem as plain Markdown text (no markup or HTML from the contributor)."""
    text = " ".join(text.split())
    return re.sub(r"([\\`*_{}\[\]()#+!|~<>])", r"\\\1", text)


def issue_comment(result: ImportResult) -> str:
    """A German reply for the issue: what is missing, or a preview of the case file."""
    if not result.ok:
        lines = [
            "Danke für den Vorschlag! Bevor die Redaktion den Fall übernehmen kann, fehlt "
            "noch etwas oder passt nicht:",
            "",
            *(f"- {_comment_line(problem)}" for problem in result.problems),
            "",
            "Bitte das Issue bearbeiten (… → *Edit*) und die Angaben ergänzen; die Prüfung "
            "läuft danach erneut.",
        ]
        return "\n".join(lines) + "\n"
    fence = _fence(result.text)
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
