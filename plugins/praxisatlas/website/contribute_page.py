"""The "Mitmachen" page (``mitmachen/index.md``): how to contribute, with the link to the
form "Neuer Fall" (plugin options ``repository_url``/``issue_form_url``), plus a field
reference generated from ``praxisatlas.cases.schema`` so it never drifts from the validator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Template

from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import LICENSES
from praxisatlas.cases.schema import BODY_SECTIONS, FIELDS, FORMATS, MAX_TOPICS, FieldSpec
from praxisatlas.cases.vocabulary import Vocabulary
from praxisatlas.output import (
    ContributeLinks,
    OutputFile,
    SiteSettings,
    page_front_matter,
    template_environment,
)

PAGE_PATH = "mitmachen/index.md"

# Characters with a meaning in a Markdown table cell or inline markup.
_CELL_SPECIAL = re.compile(r"[\\`*_{}\[\]|<>&#]")


def cell(text: str) -> str:
    """Text for a Markdown table cell: one line, markup characters as entities."""
    return _CELL_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", " ".join(text.split()))


@dataclass(frozen=True)
class FieldRow:
    """One entry of the field reference; ``depth`` 1 for keys inside an object or list."""

    key: str
    required: str
    description: str
    values: str
    depth: int = 0


def _values(spec: FieldSpec) -> str:
    target = spec.items if spec.type == "list" and spec.items is not None else spec
    if target.enum:
        return "; ".join(
            f"`{value}` ({cell(label)})" if label != value else f"`{value}`"
            for value, label in target.enum.items()
        )
    if target.type == "boolean":
        return "`true` oder `false`"
    if target.format == "topic":
        return "Kennungen aus dem Themen-Vokabular (siehe unten)"
    if target.format and target.format in FORMATS and target.format not in ("text", "longtext"):
        return cell(FORMATS[target.format])
    if target.type == "object" and spec.type == "list":
        return "Liste von Einträgen mit den Feldern darunter"
    if target.type == "object":
        return "die Felder darunter"
    return cell(target.limit_text or "Text")


def _row(spec: FieldSpec, key: str, parent_required: bool, depth: int = 0) -> FieldRow:
    description = spec.description or (spec.items.description if spec.items else "") or spec.label
    if spec.type == "list":
        bounds = []
        if spec.min_length:
            bounds.append(f"mindestens {spec.min_length}")
        if spec.max_length:
            bounds.append(f"höchstens {spec.max_length}")
        if bounds:
            description = f"{description.rstrip('.')} ({' und '.join(bounds)} Einträge)."
    required = (
        "Pflicht"
        if spec.required and parent_required
        else ("Pflicht im Eintrag" if spec.required else "freiwillig")
    )
    return FieldRow(key, required, cell(description), _values(spec), depth)


def field_rows(fields: tuple[FieldSpec, ...] = FIELDS) -> list[FieldRow]:
    """Every key, nested keys as ``contact.email`` and ``sources[].url``, in schema order."""
    rows: list[FieldRow] = []

    def walk(specs: tuple[FieldSpec, ...], prefix: str, top: bool, depth: int) -> None:
        for spec in specs:
            key = f"{prefix}{spec.key}"
            rows.append(_row(spec, key, top, depth))
            if spec.type == "object" and spec.fields:
                walk(spec.fields, f"{key}.", top and spec.required, depth + 1)
            elif spec.type == "list" and spec.items is not None and spec.items.fields:
                walk(spec.items.fields, f"{key}[].", False, depth + 1)

    walk(fields, "", True, 0)
    return rows


PAGE_META = {
    "title": "Mitmachen",
    "description": "So schlagen Sie ein gutes Digitalisierungsbeispiel aus Ihrer Kommune für "
    "den Praxisatlas vor – mit oder ohne Git.",
}


@cache
def _template() -> Template:
    # Markdown; every dynamic value goes through cell()
    env = template_environment("praxisatlas.website", "templates/mitmachen", autoescape=False)
    return env.get_template("index.md.j2")


def _topic_fields(vocabulary: Vocabulary) -> list[dict[str, object]]:
    return [
        {
            "slug": field.slug,
            "label": cell(field.label),
            "children": [
                {"slug": child.slug, "label": cell(child.label)}
                for child in vocabulary.children(field.slug)
                if not child.deprecated
            ],
        }
        for field in vocabulary.fields
        if not field.deprecated
    ]


FORGE_NAMES = {"github": "GitHub", "gitlab": "OpenCoDE bzw. GitLab"}


def render_page(vocabulary: Vocabulary, links: ContributeLinks | None = None) -> str:
    links = links or ContributeLinks()
    forge = links.forge
    licenses = ", ".join(f"{cell(label)} (`{key}`)" for key, label in LICENSES.items())
    return page_front_matter(PAGE_META) + _template().render(
        rows=field_rows(),
        licenses=licenses,
        sections=", ".join(f"„{section}“" for section in BODY_SECTIONS),
        max_topics=MAX_TOPICS,
        topic_fields=_topic_fields(vocabulary),
        links=links,
        forge=forge,
        forge_name=FORGE_NAMES.get(forge, ""),
    )


def generate(catalogue: Catalogue, settings: SiteSettings) -> list[OutputFile]:
    """The contributing page, in the navigation."""
    page = render_page(catalogue.vocabulary, settings.contribute)
    return [OutputFile(PAGE_PATH, page, in_nav=True)]


def check_links(extra: dict[str, Any], settings: SiteSettings) -> list[str]:
    """A published atlas needs its way in: the repository and its form "Neuer Fall"."""
    del extra  # the addresses are plugin options
    links = settings.contribute
    where = "mkdocs.yml, plugins.praxisatlas"
    messages = []
    if not links.repository_url:
        messages.append(
            f"{where}.repository_url: Angabe fehlt – die Adresse des Repositorys (z. B. "
            "https://github.com/ORGANISATION/praxisatlas oder "
            "https://gitlab.opencode.de/GRUPPE/praxisatlas); Mitmachen, jede Fallseite "
            "(„Fall ergänzen“) und der Katalog verlinken darauf und auf das Formular."
        )
    for key, value in (
        ("repository_url", links.repository_url),
        ("issue_form_url", links.issue_form_url),
    ):
        if value and urlsplit(value).scheme != "https":
            messages.append(f"{where}.{key}: '{value}' ist keine https-Adresse.")
    return messages
