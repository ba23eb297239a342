from __future__ import annotations

import pytest

from praxisatlas.cases.vocabulary import SLUG_RE, VocabularyError, load_vocabulary, parse_vocabulary


def test_shipped_vocabulary_shape() -> None:
    vocab = load_vocabulary()
    assert len(vocab.fields) == 12
    assert len(vocab.topics) == 78
    assert len(vocab.ozg_themenfelder) == 14
    for topic in vocab.topics.values():
        assert SLUG_RE.match(topic.slug)
        assert topic.label and topic.description.endswith(".")
    for field in vocab.fields:
        assert 3 <= len(field.children) <= 8
        for child in vocab.children(field.slug):
            assert vocab.field_of(child.slug) is field


def test_duplicate_and_bad_slugs_are_rejected() -> None:
    dup = """
handlungsfelder:
  - {slug: a, label: A, description: "A.", unterthemen: [{slug: a, label: B, description: "B."}]}
"""
    with pytest.raises(VocabularyError, match="doppelt"):
        parse_vocabulary(dup)
    with pytest.raises(VocabularyError, match="ungültiger slug"):
        parse_vocabulary("handlungsfelder: [{slug: A_b, label: x, description: y}]")


def test_deprecated_topic_needs_existing_replacement() -> None:
    text = """
handlungsfelder:
  - slug: a
    label: A
    description: "A."
    unterthemen:
      - {slug: alt, label: Alt, description: "Alt.", deprecated: true, replaced_by: neu}
      - {slug: neu, label: Neu, description: "Neu."}
"""
    vocab = parse_vocabulary(text)
    assert vocab.topics["alt"].deprecated
    assert "alt" not in vocab.active_slugs()
    with pytest.raises(VocabularyError, match="replaced_by"):
        parse_vocabulary(text.replace("replaced_by: neu", "replaced_by: weg"))
