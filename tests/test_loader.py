"""The strict loader: strings stay strings, YAML tricks and broken files become problems."""

from __future__ import annotations

import random

import pytest

from praxisatlas.cases.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MappingNode,
    ScalarNode,
    SequenceNode,
    load_bytes,
)


def load(text: str | bytes) -> tuple[MappingNode | None, list[str]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    loaded = load_bytes(data, "cases/x.md", "x")
    return loaded.front, [f"{p.line}: {p.message}" for p in loaded.problems]


def scalar(front: MappingNode | None, key: str) -> ScalarNode:
    assert front is not None
    node = front.entries[key].value
    assert isinstance(node, ScalarNode)
    return node


def test_scalars_stay_strings_with_lines() -> None:
    front, problems = load("---\nags: 01054\nflag: no\nday: 2024-02-30\nn: 1.50\n---\nBody\n")
    assert problems == []
    assert scalar(front, "ags").value == "01054"
    assert scalar(front, "flag").value == "no"
    assert scalar(front, "day").value == "2024-02-30"
    assert scalar(front, "n").value == "1.50"
    assert front is not None
    assert [e.key_line for e in front.entries.values()] == [2, 3, 4, 5]


def test_nested_lines_and_body_line() -> None:
    text = "---\na:\n  - x: 1\n    y: 2\n  - z\n---\n\n## Body\n"
    loaded = load_bytes(text.encode(), "cases/x.md", "x")
    assert loaded.front is not None
    seq = loaded.front.entries["a"].value
    assert isinstance(seq, SequenceNode)
    first = seq.items[0]
    assert isinstance(first, MappingNode)
    assert first.entries["y"].key_line == 4
    assert seq.items[1].line == 5
    assert loaded.body_line == 7
    assert loaded.body.split("\n")[1] == "## Body"


def test_bom_and_crlf_are_normalised() -> None:
    front, problems = load(b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nText\r\n")
    assert problems == []
    assert scalar(front, "title").value == "A"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1: Die Datei ist leer"),
        ("title: x\n", "1: Die Datei muss mit einer Zeile '---' beginnen"),
        ("---\ntitle: x\n", "1: Die schließende Zeile '---' des Kopfbereichs fehlt"),
        ("---\n---\nText", "1: Der Kopfbereich zwischen den '---'-Zeilen ist leer"),
        ("---\n- a\n- b\n---\n", "2: Der Kopfbereich muss aus 'schlüssel: wert'-Zeilen"),
        ("---\na: &x 1\nb: *x\n---\n", "2: YAML-Anker (&x)"),
        ("---\na: !!python/object:os.system x\n---\n", "2: YAML-Tags (!!python/object:os.system)"),
        ("---\na: !!str 1\n---\n", "2: YAML-Tags"),
        ("---\na: !foo 1\n---\n", "2: YAML-Tags (!foo)"),
        ("---\n<<: {a: 1}\n---\n", "2: YAML-Merge-Schlüssel"),
        ("---\na: [1, 2\n---\n", "YAML-Syntaxfehler"),
        ("---\na: b: c\n---\n", "2: YAML-Syntaxfehler"),
        ("---\n? [a]\n: 1\n---\n", "2: Schlüssel müssen einfache Namen sein"),
    ],
)
def test_refused_front_matter(text: str, expected: str) -> None:
    front, problems = load(text)
    assert front is None
    assert len(problems) == 1
    assert expected in problems[0], problems


def test_deep_nesting_is_refused() -> None:
    text = "---\na: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n---\n"
    front, problems = load(text)
    assert front is None and "verschachtelt" in problems[0]
    ok, problems = load("---\na: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n---\n")
    assert problems == [] and ok is not None


def test_latin1_nul_and_size() -> None:
    _front, problems = load("---\ntitle: Gr\xfc\xdfe\n---\n".encode("latin-1"))
    assert problems[0].startswith("2: Die Datei ist nicht in UTF-8 gespeichert")
    _front, problems = load(b"---\na: 1\n\x00\n---\n")
    assert problems == ["3: Die Datei enthält NUL-Bytes (keine Textdatei?)"]
    _front, problems = load(b"---\na: 1\n---\n" + b"x" * MAX_FILE_BYTES)
    assert "zu groß" in problems[0]


def test_random_bytes_never_raise() -> None:
    rng = random.Random(42)
    pieces = [
        b"---\n",
        b"a: ",
        b"- ",
        b"[",
        b"]",
        b"{",
        b"}",
        b"&a ",
        b"*a",
        b"!x ",
        b"\n",
        b"  ",
        b"\xff",
        b"\xc3\xa4",
        b"\x00",
        b":",
        b"'",
        b'"',
        b"|\n",
        b"? ",
        b"%YAML 1.2\n",
    ]
    for _ in range(1500):
        data = b"---\n" + b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.7:
            data += b"\n---\nbody"
        loaded = load_bytes(data, "cases/x.md", "x")
        assert (loaded.front is None) == bool(loaded.problems)
