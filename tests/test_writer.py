"""The case-file writer (python-frontmatter): what it writes, and the round trip."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from praxisatlas.cases.loader import load_bytes, load_file
from praxisatlas.cases.pipeline import collect
from praxisatlas.cases.writer import case_text, plain_data

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"


def test_writes_block_yaml_with_strings_kept_as_strings() -> None:
    text = case_text(
        {
            "title": "Digitale Akte: Einführung",
            "organisations": [{"role": "lead", "ags": "09663"}],
            "start": "2021",
            "reviewed": "2026-01-15",
            "status": "no",
            "software": {"open_source": True},
            "end": None,
        },
        "\n## Ausgangslage\n\nText.\n\n",
    )
    assert text == (
        "---\n"
        "title: 'Digitale Akte: Einführung'\n"
        "organisations:\n"
        "  - role: lead\n"
        '    ags: "09663"\n'
        'start: "2021"\n'
        'reviewed: "2026-01-15"\n'
        "status: 'no'\n"
        "software:\n"
        "  open_source: true\n"
        "end: null\n"
        "---\n"
        "\n"
        "## Ausgangslage\n"
        "\n"
        "Text.\n"
    )


def test_written_text_reads_back_as_the_same_data() -> None:
    front = {
        "title": "Zeile mit # und: Doppelpunkt",
        "summary": "Mehrzeilig\nzweite Zeile – mit Umlauten äöü",
        "topics": ["e-akte", "open-data"],
        "leika": ["99050012104000"],
        "fictitious": False,
    }
    loaded = load_bytes(case_text(front, "Text.").encode(), "x.md", "x")
    assert loaded.problems == []
    assert loaded.front is not None
    assert plain_data(loaded.front) == front
    assert loaded.body == "\nText.\n"


def test_every_shipped_case_round_trips(tmp_path: Path) -> None:
    # Loading a shipped case, writing it and loading it again gives the same Case (but
    # for where it lives: its path and the line its body starts on).
    originals, problems = collect(CASES_DIR)
    assert problems == []
    folder = tmp_path / "cases"
    folder.mkdir()
    for file in sorted(CASES_DIR.glob("*.md")):
        loaded = load_file(file, file.name)
        assert loaded.front is not None, loaded.problems
        (folder / file.name).write_text(
            case_text(plain_data(loaded.front), loaded.body), encoding="utf-8"
        )
    written, problems = collect(folder, today=None)
    assert problems == []
    assert len(written) == len(originals) > 100
    by_id = {case.id: case for case in written}
    for case in originals:
        again = dataclasses.replace(by_id[case.id], path=case.path, body_line=case.body_line)
        assert again == dataclasses.replace(case, body=again.body), case.id
        # The writer drops blank lines around the body, nothing else.
        assert again.body.strip("\n") == case.body.strip("\n"), case.id
