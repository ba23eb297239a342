"""Reading an issue form's answers: the sections of an issue body, by form field.

Both imports (``issue_import`` for "Neuer Fall", ``confirmation`` for "Fall bestätigen
oder ergänzen") read the body GitHub renders from an issue form (``### Label``, blank
line, value; ``_No response_`` for an empty optional field; multi-select values joined
with ", "; checkboxes as ``- [X] …``) or the filled GitLab description template (same
headings, hints in HTML comments). ``FormAnswers`` reads one answer at a time by form
field id and collects German problems; the validator's problems are named by the form
label of the field they concern (``field_label``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

from praxisatlas.cases.loader import load_bytes
from praxisatlas.cases.problems import Problem
from praxisatlas.cases.reference import Reference
from praxisatlas.cases.validation import Context, validate_loaded
from praxisatlas.cases.vocabulary import Vocabulary
from praxisatlas.contribute.issue_form import NO_RESPONSE, FormField

_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_CHECKBOX_RE = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*?)\s*$")
_BULLET_RE = re.compile(r"^(?:[-*•]|\d+[.)])\s+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def _choice_key(text: str) -> str:
    """A folded answer with one spelling of the Handlungsfeld separator (› or >)."""
    return re.sub(r"\s*[›>]\s*", " › ", fold(text))


def parse_sections(body: str, fields: list[FormField]) -> dict[str, str]:
    """Form field id → the raw answer; headings that are not form labels stay content."""
    by_label = {fold(f.label): f.id for f in fields}
    answers: dict[str, list[str]] = {}
    current: str | None = None
    text = _COMMENT_RE.sub("", body.replace("\r\n", "\n").replace("\r", "\n"))
    for line in text.split("\n"):
        match = re.match(r"^###\s+(.*?)\s*$", line)
        if match:
            label = re.sub(r"\s*\*$", "", match.group(1))
            if fold(label) in by_label:
                current = by_label[fold(label)]
                answers[current] = []
                continue
        if current is not None:
            answers[current].append(line)
    result = {}
    for key, lines in answers.items():
        value = "\n".join(lines).strip()
        result[key] = "" if value == NO_RESPONSE else value
    return result


class FormAnswers:
    """The answers of one issue body; every problem reading them goes into ``problems``."""

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
            if fold(raw) in (fold(option), fold(value)):
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
        names = {fold(o): o for o in form.options} | {fold(v): v for v in form.values}
        close = difflib.get_close_matches(fold(value), list(names), n=3, cutoff=0.6)
        hint = " oder ".join(f"„{names[c]}“" for c in close)
        hint = f"; meinten Sie {hint}?" if hint else ""
        return f"„{value}“ ist keine der möglichen Angaben{hint}"

    def checked(self, field_id: str) -> list[str]:
        form = self.fields[field_id]
        ticked = {
            fold(m.group(2))
            for line in self.answers.get(field_id, "").split("\n")
            if (m := _CHECKBOX_RE.match(line)) and m.group(1) in "xX"
        }
        return [v for o, v in zip(form.options, form.values, strict=True) if fold(o) in ticked]


def field_label(field_path: str, fields: list[FormField]) -> str:
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


def validate_text(
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


def code_fence(text: str) -> str:
    """A code fence longer than any backtick run in ``text`` (it cannot be closed early)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def comment_line(text: str) -> str:
    """One problem as plain Markdown text (no markup or HTML from the contributor)."""
    text = " ".join(text.split())
    return re.sub(r"([\\`*_{}\[\]()#+!|~<>])", r"\\\1", text)


def problems_comment(opening: str, problems: list[str]) -> str:
    """A German reply for an issue whose answers cannot be taken over yet."""
    lines = [
        opening,
        "",
        *(f"- {comment_line(problem)}" for problem in problems),
        "",
        "Bitte das Issue bearbeiten (… → *Edit*) und die Angaben ergänzen; die Prüfung "
        "läuft danach erneut.",
    ]
    return "\n".join(lines) + "\n"
