"""Turn a "Fall bestätigen oder ergänzen" issue into a change of the existing case file.

The administration behind a case names it (id or page address), its unit, a public
e-mail, phone or web page, what it is open to, and free-text corrections. The import

- finds ``cases/<id>.md`` (an unknown or malformed id is a German problem, never a path),
- replaces the ``contact`` block (answers given in the form win, the rest is kept) and,
  when the confirmation box is ticked, writes ``confirmed: {date, by}``;
- leaves every other line of the file as it was (only those two top-level blocks are
  rewritten, so a maintainer's diff shows exactly what changed);
- validates the changed file with the same validator as every case file.

Corrections are never applied automatically: they go to the editors (CLI output and the
issue comment), who check them against sources.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from praxisatlas.cases.loader import (
    CASE_SUFFIX,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    load_bytes,
    load_file,
)
from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.cases.schema import ID_MAX_LENGTH, ID_PATTERN
from praxisatlas.cases.vocabulary import Vocabulary, load_vocabulary
from praxisatlas.cases.writer import front_matter_yaml
from praxisatlas.contribute.form_answers import (
    FormAnswers,
    code_fence,
    comment_line,
    field_label,
    fold,
    parse_sections,
    problems_comment,
    validate_text,
)
from praxisatlas.contribute.issue_form import FormField, confirm_fields

_ID_RE = re.compile(ID_PATTERN)
_CONTACT_KEYS = ("function", "email", "phone", "url", "open_to")


@dataclass
class ConfirmResult:
    """The case id, the changed file text (when valid), corrections and problems."""

    case_id: str
    text: str = ""
    previous: str = ""
    confirmed: bool = False
    corrections: str = ""
    problems: list[str] = field(default_factory=list)
    # For the editors, not the contributor's fault: e.g. an organisation not in the case.
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.text)

    @property
    def changed(self) -> bool:
        return self.text != self.previous


def is_confirmation(body: str) -> bool:
    """Whether an issue body is the form "Fall bestätigen oder ergänzen"."""
    fields = confirm_fields()
    answers = parse_sections(body, fields)
    return "case" in answers


def case_id_of(answer: str) -> str:
    """The case id in an answer: the id itself, ``cases/<id>.md`` or a case page address."""
    text = " ".join(answer.split()).strip().strip("`„“\"'<>")
    if re.match(r"^https?://", text, re.I):
        path = urlparse(text).path
        parts = [part for part in path.split("/") if part]
        if "faelle" in parts and parts.index("faelle") + 1 < len(parts):
            return parts[parts.index("faelle") + 1]
        return parts[-1] if parts else ""
    text = re.sub(r"^(\./)?cases/", "", text)
    return text[: -len(CASE_SUFFIX)] if text.endswith(CASE_SUFFIX) else text


def _plain(node: Node | None) -> Any:
    if isinstance(node, MappingNode):
        return {key: _plain(entry.value) for key, entry in node.entries.items()}
    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.items]
    if isinstance(node, ScalarNode):
        return None if node.is_null else node.value
    return None


def replace_blocks(text: str, blocks: dict[str, Any], after: str) -> str:
    """``text`` with the top-level front-matter keys in ``blocks`` rewritten.

    A key that exists keeps its place (comment and blank lines after its block stay);
    a new key goes after the block of ``after`` (or at the end of the front matter).
    Every other line is untouched. ``text`` must be a readable case file.
    """
    loaded = load_file_text(text)
    assert loaded is not None
    front, closing = loaded
    lines = text.split("\n")
    starts = [(entry.key, entry.key_line) for entry in front.entries.values()]
    spans: dict[str, tuple[int, int]] = {}
    for index, (key, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else closing
        # Blank and comment lines at the end of a block belong to what follows.
        while end - 1 > start and re.match(r"^\s*(#.*)?$", lines[end - 2]):
            end -= 1
        spans[key] = (start, end)
    edits: list[tuple[int, int, list[str]]] = []  # (first line, end line, new lines)
    for key, value in blocks.items():
        new = front_matter_yaml({key: value}).rstrip("\n").split("\n")
        if key in spans:
            start, end = spans[key]
            edits.append((start, end, new))
        else:
            at = spans[after][1] if after in spans else closing
            edits.append((at, at, new))
    for start, end, new in sorted(edits, key=lambda edit: edit[0], reverse=True):
        lines[start - 1 : end - 1] = new
    return "\n".join(lines)


def load_file_text(text: str) -> tuple[MappingNode, int] | None:
    """The front matter of a case file text and the line of its closing ``---``."""
    loaded = load_bytes(text.encode("utf-8"), "x.md", "x")
    if loaded.front is None:
        return None
    return loaded.front, loaded.body_line - 1


# Words that name the kind of administration, not which one ("Landratsamt Görlitz").
_ADMIN_WORDS = re.compile(
    r"^(landkreis|kreis|landratsamt|kreisverwaltung|stadt|stadtverwaltung|hansestadt|"
    r"landeshauptstadt|universitätsstadt|große kreisstadt|gemeinde|markt|amt)\s+"
)


def _core(name: str) -> str:
    return _ADMIN_WORDS.sub("", fold(name)).strip()


def organisation_names(front: MappingNode, reference: Reference) -> list[str]:
    """Names of the case's organisations (Kreise by their label), in file order."""
    names: list[str] = []
    entry = front.entries.get("organisations")
    items = entry.value.items if entry and isinstance(entry.value, SequenceNode) else ()
    for item in items:
        raw = _plain(item)
        if not isinstance(raw, dict):
            continue
        if isinstance(raw.get("name"), str):
            names.append(raw["name"])
        ags = raw.get("ags")
        if isinstance(ags, str):
            kreise = (
                [reference.kreis_by_ags[ags[:5]]]
                if ags[:5] in reference.kreis_by_ags
                else reference.kreise_named(ags)
            )
            names += [kreis.label for kreis in kreise[:1]]
    return list(dict.fromkeys(names))


def _takes_part(organisation: str, names: list[str]) -> bool:
    core = _core(organisation)
    return bool(core) and any(
        core in fold(name) or (_core(name) and _core(name) in fold(organisation)) for name in names
    )


def _suggest_ids(case_id: str, cases_dir: Path) -> str:
    known = sorted(p.name[: -len(CASE_SUFFIX)] for p in cases_dir.glob(f"*{CASE_SUFFIX}"))
    close = difflib.get_close_matches(case_id, known, n=2, cutoff=0.6)
    return " Meinten Sie " + " oder ".join(f"„{c}“" for c in close) + "?" if close else ""


@dataclass
class _Answers:
    """What the form says: the case as written, the contact, who confirms."""

    raw_id: str
    case_id: str
    function: str
    organisation: str
    contact: dict[str, Any]


def _read_answers(builder: FormAnswers, raw_id: str, result: ConfirmResult) -> _Answers:
    """The answers after the case's; confirmation, corrections and the problems of the
    answers go into ``result``."""
    function = builder.text("contact_function", one_line=True)
    organisation = builder.text("organisation", one_line=True)
    contact: dict[str, Any] = {"function": function}
    for key in ("email", "phone", "url"):
        contact[key] = builder.text(f"contact_{key}", one_line=True)
    contact["open_to"] = builder.choices("open_to")
    result.confirmed = "confirmed" in builder.checked("confirm")
    result.corrections = builder.text("corrections").strip()
    consent = builder.checked("consent")
    form = builder.fields["consent"]
    for option, value in zip(form.options, form.values, strict=True):
        if value not in consent:
            builder.problem("consent", f"nicht bestätigt: „{option}“")
    result.problems = list(builder.problems)
    return _Answers(raw_id, result.case_id, function, organisation, contact)


def _case_file(
    answers: _Answers, label: str, cases_dir: Path, result: ConfirmResult
) -> MappingNode | None:
    """The front matter of the named case file, or None (a problem in ``result``)."""
    case_id = answers.case_id
    if answers.raw_id and not (len(case_id) <= ID_MAX_LENGTH and _ID_RE.match(case_id)):
        shown = " ".join(answers.raw_id.split())[:120]
        result.problems.append(
            f"{label}: „{shown}“ ist keine Kennung eines Falls; bitte die Adresse der "
            "Fallseite oder die Kennung angeben (z. B. e-akte-kreis-lippe)"
        )
        return None
    if not case_id:
        return None
    target = cases_dir / f"{case_id}{CASE_SUFFIX}"
    if not target.is_file():
        result.problems.append(
            f"{label}: Den Fall „{case_id}“ gibt es im Praxisatlas "
            f"nicht (keine Datei cases/{case_id}{CASE_SUFFIX}).{_suggest_ids(case_id, cases_dir)}"
        )
        return None
    loaded = load_file(target, f"cases/{case_id}{CASE_SUFFIX}")
    if loaded.front is None:
        result.problems.append(
            f"cases/{case_id}{CASE_SUFFIX}: Die Fall-Datei ist selbst fehlerhaft "
            "(praxisatlas validate); bitte zuerst die Datei korrigieren"
        )
        return None
    result.previous = target.read_text(encoding="utf-8")
    return loaded.front


def _merged_contact(front: MappingNode, given: dict[str, Any]) -> dict[str, Any]:
    """The file's contact with the answers given in the form, in the usual key order."""
    entry = front.entries.get("contact")
    existing = _plain(entry.value) if entry else None
    contact: dict[str, Any] = dict(existing) if isinstance(existing, dict) else {}
    for key in _CONTACT_KEYS:
        if given.get(key):
            contact[key] = given[key]
    ordered = {key: contact[key] for key in _CONTACT_KEYS if contact.get(key)}
    ordered.update({k: v for k, v in contact.items() if k not in ordered and v})
    return ordered


def _changed_blocks(
    answers: _Answers, front: MappingNode, today: dt.date, result: ConfirmResult
) -> dict[str, Any]:
    """The new ``contact`` block and, when confirmed, ``confirmed``."""
    contact = _merged_contact(front, answers.contact)
    if not any(contact.get(key) for key in ("email", "phone", "url")):
        result.problems.append(
            "Kontakt: Der Fall hat noch keinen Kontaktweg; bitte eine öffentliche E-Mail-"
            "Adresse oder Telefonnummer der Stelle angeben"
        )
    blocks: dict[str, Any] = {"contact": contact}
    if result.confirmed:
        by = answers.function
        if answers.organisation and fold(answers.organisation) not in fold(by):
            by = f"{by}, {answers.organisation}"
        blocks["confirmed"] = {"date": today.isoformat(), "by": by}
    return blocks


def _note_organisation(
    organisation: str, front: MappingNode, reference: Reference, result: ConfirmResult
) -> None:
    names = organisation_names(front, reference)
    if organisation and names and not _takes_part(organisation, names):
        result.notes.append(
            f"„{organisation}“ ist unter den Beteiligten des Falls nicht genannt "
            f"({', '.join(names)}); bitte prüfen, ob die Rückmeldung von der zuständigen "
            "Verwaltung kommt."
        )


def build_confirmation(
    body: str,
    cases_dir: Path,
    today: dt.date | None = None,
    vocabulary: Vocabulary | None = None,
    reference: Reference | None = None,
) -> ConfirmResult:
    """The changed text of the named case file, validated (nothing is written)."""
    vocabulary = vocabulary or load_vocabulary()
    reference = reference or load_reference()
    today = today or dt.date.today()
    fields = confirm_fields(reference)
    builder = FormAnswers(parse_sections(body, fields), fields, vocabulary, reference)
    raw_id = builder.text("case", one_line=True)
    result = ConfirmResult(case_id_of(raw_id) if raw_id else "")
    answers = _read_answers(builder, raw_id, result)
    front = _case_file(answers, builder.fields["case"].label, cases_dir, result)
    if front is None:
        return result
    blocks = _changed_blocks(answers, front, today, result)
    _note_organisation(answers.organisation, front, reference, result)
    if result.problems:
        return result
    text = replace_blocks(result.previous.replace("\r\n", "\n"), blocks, after="reviewed")
    known = {p.name[: -len(CASE_SUFFIX)] for p in cases_dir.glob(f"*{CASE_SUFFIX}")}
    for problem in validate_text(text, result.case_id, vocabulary, reference, today, known):
        label = _confirm_label(problem.field, fields)
        result.problems.append(f"{label}: {problem.message}")
    if not result.problems:
        result.text = text
    return result


def _confirm_label(field_path: str, fields: list[FormField]) -> str:
    if field_path.startswith("confirmed.by"):
        return next(f.label for f in fields if f.id == "contact_function")
    return field_label(field_path, fields)


def confirmation_comment(result: ConfirmResult) -> str:
    """A German reply for the issue: what is missing, or the change to the case file."""
    if not result.ok:
        return problems_comment(
            "Danke für Ihre Rückmeldung! Bevor die Redaktion sie übernehmen kann, fehlt noch "
            "etwas oder passt nicht:",
            result.problems,
        )
    diff = "\n".join(
        line.rstrip("\n")
        for line in difflib.unified_diff(
            result.previous.splitlines(),
            result.text.splitlines(),
            f"a/cases/{result.case_id}.md",
            f"b/cases/{result.case_id}.md",
            lineterm="",
        )
    )
    what = "bestätigt den Fall und ergänzt" if result.confirmed else "ergänzt"
    lines = [
        f"Danke! Die Angaben sind vollständig. Die Übernahme {what} die Ansprechstelle in "
        f"`cases/{result.case_id}.md`; die Redaktion prüft sie und führt sie zusammen.",
        "",
    ]
    if diff:
        fence = code_fence(diff)
        lines += [
            "<details><summary>Änderung an der Fall-Datei</summary>",
            "",
            f"{fence}diff",
            diff,
            fence,
            "",
            "</details>",
            "",
        ]
    lines += [f"Hinweis für die Redaktion: {comment_line(note)}" for note in result.notes]
    if result.notes:
        lines.append("")
    if result.corrections:
        fence = code_fence(result.corrections)
        lines += [
            "Korrekturen und Ergänzungen (arbeitet die Redaktion nach Prüfung von Hand ein):",
            "",
            f"{fence}text",
            result.corrections,
            fence,
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


__all__ = [
    "ConfirmResult",
    "build_confirmation",
    "case_id_of",
    "confirmation_comment",
    "is_confirmation",
    "replace_blocks",
]
