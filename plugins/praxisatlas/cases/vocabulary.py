"""The two-level topic vocabulary: Handlungsfeld -> Unterthema.

One YAML file (``data/topics.yml`` by default) is the single source for the site,
the validator, the JSON Schema and the issue form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEFAULT_PATH = "data/topics.yml"


class VocabularyError(ValueError):
    """The vocabulary file itself is broken (a maintainer problem, not a contributor's)."""


@dataclass(frozen=True)
class Topic:
    """A Handlungsfeld (``parent`` is None) or an Unterthema."""

    slug: str
    label: str
    description: str
    parent: str | None = None
    deprecated: bool = False
    replaced_by: str | None = None
    children: tuple[str, ...] = field(default=())

    @property
    def is_field(self) -> bool:
        return self.parent is None


@dataclass(frozen=True)
class OzgThemenfeld:
    slug: str
    label: str


class Vocabulary:
    """All topics by slug, in the file's order; subtopic slugs are globally unique."""

    def __init__(self, topics: list[Topic], ozg: list[OzgThemenfeld], version: str) -> None:
        self.version = version
        self.topics = {t.slug: t for t in topics}
        self.ozg_themenfelder = {o.slug: o for o in ozg}

    @property
    def fields(self) -> list[Topic]:
        """The Handlungsfelder, in file order."""
        return [t for t in self.topics.values() if t.is_field]

    def children(self, slug: str) -> list[Topic]:
        return [self.topics[s] for s in self.topics[slug].children]

    def field_of(self, slug: str) -> Topic:
        topic = self.topics[slug]
        return topic if topic.parent is None else self.topics[topic.parent]

    def fingerprint(self) -> str:
        """A text that differs whenever the vocabulary does (for cache keys)."""
        # Frozen dataclasses of plain values: their repr is stable.
        parts = (self.version, list(self.topics.values()), list(self.ozg_themenfelder.values()))
        return repr(parts)

    def active_slugs(self) -> list[str]:
        """Slugs a case may use (not deprecated), in file order."""
        return [s for s, t in self.topics.items() if not t.deprecated]


def _require(entry: object, key: str, where: str) -> str:
    if not isinstance(entry, dict) or not isinstance(entry.get(key), str | int):
        raise VocabularyError(f"{where}: Feld '{key}' fehlt oder ist kein Text")
    return str(entry[key])


def parse_vocabulary(text: str, source: str = DEFAULT_PATH) -> Vocabulary:
    """Parse and check a vocabulary file (slugs, uniqueness, replaced_by targets)."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("handlungsfelder"), list):
        raise VocabularyError(f"{source}: 'handlungsfelder' (Liste) fehlt")
    topics: list[Topic] = []

    def make(entry: dict[str, object], parent: str | None, children: tuple[str, ...]) -> Topic:
        where = f"{source}: {parent + ' > ' if parent else ''}{entry.get('slug', '?')}"
        slug = _require(entry, "slug", where)
        if not SLUG_RE.match(slug):
            raise VocabularyError(f"{where}: ungültiger slug '{slug}'")
        replaced = entry.get("replaced_by")
        return Topic(
            slug=slug,
            label=_require(entry, "label", where),
            description=_require(entry, "description", where),
            parent=parent,
            deprecated=bool(entry.get("deprecated", False)),
            replaced_by=str(replaced) if replaced else None,
            children=children,
        )

    for hf in data["handlungsfelder"]:
        subs = hf.get("unterthemen") or []
        topics.append(make(hf, None, tuple(str(s.get("slug")) for s in subs)))
        topics.extend(make(sub, str(hf["slug"]), ()) for sub in subs)
    seen: set[str] = set()
    for topic in topics:
        if topic.slug in seen:
            raise VocabularyError(f"{source}: slug '{topic.slug}' ist doppelt vergeben")
        seen.add(topic.slug)
    for topic in topics:
        if topic.replaced_by and topic.replaced_by not in seen:
            raise VocabularyError(
                f"{source}: {topic.slug}: replaced_by '{topic.replaced_by}' existiert nicht"
            )
    ozg = [
        OzgThemenfeld(slug=str(o["slug"]), label=str(o["label"]))
        for o in data.get("ozg_themenfelder") or []
    ]
    return Vocabulary(topics, ozg, str(data.get("version", "")))


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Load the vocabulary from ``path`` or the copy shipped in the package."""
    if path is None:
        text = resources.files("praxisatlas").joinpath(DEFAULT_PATH).read_text(encoding="utf-8")
        return parse_vocabulary(text)
    return parse_vocabulary(Path(path).read_text(encoding="utf-8"), str(path))
