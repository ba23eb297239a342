"""What the editorial report knows of each case file: a ``Record``, valid file or not.

Files are read leniently through the strict loader's node tree (without the validator),
so files that fail validation are reported too; ``record_from_case`` makes the same
record from a validated ``Case`` (the build's view).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from praxisatlas.cases.loader import (
    CASE_SUFFIX,
    Entry,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    load_file,
)
from praxisatlas.cases.model import Case
from praxisatlas.cases.reference import Reference, load_reference
from praxisatlas.cases.schema import PLACEHOLDER_HINT
from praxisatlas.cases.writer import plain_data

NO_LAND = "ohne Land"

MISSING_LABELS: dict[str, str] = {
    "outcomes": "Ergebnisse (outcomes)",
    "effort": "Aufwand (effort)",
    "contact_channel": "Kontaktweg (contact.email, contact.phone oder contact.url)",
    "open_to": "Offen für Austausch (contact.open_to)",
    "transferability": "Übertragbarkeit (transferability)",
    "section_texts": "Abschnittstexte (Hinweise „Bitte ersetzen: …“ stehen noch im Text)",
}


@dataclass(frozen=True)
class Record:
    """What the reports need to know about one case file, valid or not."""

    id: str
    path: str
    title: str
    reviewed: dt.date | None
    reviewed_line: int = 1
    missing: tuple[str, ...] = ()
    # (field path, case id, line)
    references: tuple[tuple[str, str, int], ...] = ()
    # (field path, url, line)
    urls: tuple[tuple[str, str, int], ...] = ()
    valid: bool = True
    land: str = NO_LAND
    contact_line: int = 1
    confirmed: bool = False


def _entry(node: Node | None, key: str) -> Entry | None:
    return node.entries.get(key) if isinstance(node, MappingNode) else None


def _nested(node: MappingNode, key: str, inner: str) -> Entry | None:
    outer = _entry(node, key)
    return _entry(outer.value, inner) if outer else None


def _text(node: Node | None) -> str:
    return node.value.strip() if isinstance(node, ScalarNode) and not node.is_null else ""


def _present(node: Node | None) -> bool:
    if node is None:
        return False
    value = plain_data(node)
    if isinstance(value, bool):
        return True
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _reviewed(front: MappingNode) -> dt.date | None:
    entry = front.entries.get("reviewed")
    try:
        return dt.date.fromisoformat(_text(entry.value)) if entry else None
    except ValueError:
        return None


def _missing_in_front(front: MappingNode, body: str) -> list[str]:
    contact = _entry(front, "contact")
    contact_node = contact.value if contact else None

    def present(node: Node | None, key: str) -> bool:
        entry = _entry(node, key)
        return entry is not None and _present(entry.value)

    return _missing(
        outcomes=present(front, "outcomes"),
        effort=present(front, "effort"),
        contact_channel=any(present(contact_node, k) for k in ("email", "phone", "url")),
        open_to=present(contact_node, "open_to"),
        transferability=present(front, "transferability"),
        section_texts=PLACEHOLDER_HINT not in body,
    )


def _missing(**present: bool) -> list[str]:
    """The keys of ``MISSING_LABELS`` whose information is not there, in that order."""
    return [key for key in MISSING_LABELS if not present[key]]


def _references_in_front(front: MappingNode) -> list[tuple[str, str, int]]:
    references: list[tuple[str, str, int]] = []
    for key in ("adopted_from", "related"):
        entry = front.entries.get(key)
        if entry is not None and isinstance(entry.value, SequenceNode):
            for index, item in enumerate(entry.value.items):
                if _text(item):
                    references.append((f"{key}[{index}]", _text(item), item.line))
    return references


def _urls_in_front(front: MappingNode) -> list[tuple[str, str, int]]:
    found: list[tuple[str, Entry | None]] = []
    sources = front.entries.get("sources")
    if sources is not None and isinstance(sources.value, SequenceNode):
        found += [
            (f"sources[{index}].url", _entry(item, "url"))
            for index, item in enumerate(sources.value.items)
        ]
    contact = _entry(front, "contact")
    found.append(("contact.url", _entry(contact.value if contact else None, "url")))
    software = _entry(front, "software")
    found.append(
        ("software.repository", _entry(software.value if software else None, "repository"))
    )
    return [
        (field, _text(entry.value), entry.value.line)
        for field, entry in found
        if entry is not None and _text(entry.value)
    ]


def record_from_front(
    case_id: str,
    path: str,
    front: MappingNode,
    valid: bool,
    body: str = "",
    reference: Reference | None = None,
) -> Record:
    """A record from a file's raw front matter; tolerant of any shape."""
    reviewed_entry = front.entries.get("reviewed")
    title = front.entries.get("title")
    contact = _entry(front, "contact")
    confirmed = front.entries.get("confirmed")
    return Record(
        id=case_id,
        path=path,
        title=_text(title.value) if title else "",
        reviewed=_reviewed(front),
        reviewed_line=reviewed_entry.key_line if reviewed_entry else 1,
        missing=tuple(_missing_in_front(front, body)),
        references=tuple(_references_in_front(front)),
        urls=tuple(_urls_in_front(front)),
        valid=valid,
        land=_lead_land(front, reference or load_reference()),
        contact_line=contact.key_line if contact else 1,
        confirmed=confirmed is not None and _present(confirmed.value),
    )


def _lead_land(front: MappingNode, reference: Reference) -> str:
    """Name of the Land of the first lead organisation (by key, Kreis name or ``land``)."""
    organisations = _entry(front, "organisations")
    if organisations is None or not isinstance(organisations.value, SequenceNode):
        return NO_LAND
    for item in organisations.value.items:
        role = _entry(item, "role")
        if role is None or _text(role.value) != "lead":
            continue
        ags_entry, land_entry = _entry(item, "ags"), _entry(item, "land")
        ags = _text(ags_entry.value) if ags_entry else ""
        if ags[:2] in reference.land_by_code and ags[:5].isdigit():
            return reference.land_by_code[ags[:2]].name
        if ags and len(named := reference.kreise_named(ags)) == 1:
            return reference.land_of(named[0]).name
        code = _text(land_entry.value) if land_entry else ""
        if code in reference.land_by_code:
            return reference.land_by_code[code].name
    return NO_LAND


def record_from_case(case: Case) -> Record:
    """A record from a validated case (no line numbers: those live in the file)."""
    missing = _missing(
        outcomes=bool(case.outcomes),
        effort=case.effort is not None,
        contact_channel=bool(case.contact.email or case.contact.phone or case.contact.url),
        open_to=bool(case.contact.open_to),
        transferability=bool(case.transferability),
        section_texts=PLACEHOLDER_HINT not in case.body,
    )
    references = [(f"adopted_from[{i}]", ref, 1) for i, ref in enumerate(case.adopted_from)]
    references += [(f"related[{i}]", ref, 1) for i, ref in enumerate(case.related)]
    urls = [(f"sources[{i}].url", s.url, 1) for i, s in enumerate(case.sources)]
    if case.contact.url:
        urls.append(("contact.url", case.contact.url, 1))
    if case.software and case.software.repository:
        urls.append(("software.repository", case.software.repository, 1))
    lead = next((org for org in case.organisations if org.role == "lead"), None)
    return Record(
        id=case.id,
        path=case.path,
        title=case.title,
        reviewed=case.reviewed,
        missing=tuple(missing),
        references=tuple(references),
        urls=tuple(urls),
        land=lead.land.name if lead is not None and lead.land is not None else NO_LAND,
        confirmed=case.confirmed is not None,
    )


def _display_path(file: Path) -> str:
    """``cases/<file>.md`` relative to the working directory when possible."""
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _invalid_paths(cases_dir: Path) -> set[str]:
    """Names of the files the validator rejects (empty if the pipeline is unavailable)."""
    pipeline: Any = importlib.import_module("praxisatlas.cases.pipeline")
    _cases, problems = pipeline.collect(cases_dir)
    return {Path(problem.path).name for problem in problems}


def read_records(cases_dir: Path) -> tuple[list[Record], list[str]]:
    """Records of every ``*.md`` file in ``cases_dir`` and the paths that fail validation."""
    invalid_names = _invalid_paths(cases_dir)
    records: list[Record] = []
    invalid: list[str] = []
    reference = load_reference()
    for file in sorted(cases_dir.glob(f"*{CASE_SUFFIX}")):
        path = _display_path(file)
        valid = file.name not in invalid_names
        if not valid:
            invalid.append(path)
        loaded = load_file(file, path)
        if loaded.front is None:
            continue
        records.append(
            record_from_front(loaded.id, path, loaded.front, valid, loaded.body, reference)
        )
    return records, invalid
