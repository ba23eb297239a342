"""Writing case files: the one place that turns front-matter data and a body into a file.

``praxisatlas new`` and the issue import both write through ``case_text``; the file is
made by python-frontmatter with a YAML dumper that writes what the hand-written case
files look like (block style, list items indented under their key, keys in the order
given). Reading stays with ``loader.py``, which keeps line numbers and refuses what strict
YAML refuses; ``plain_data`` turns its node tree back into data, so a loaded case can be
written again (the round trip is tested over every shipped case).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from praxisatlas.cases.loader import MappingNode, Node, ScalarNode, SequenceNode

# Plain scalars the loader reads as booleans (``software.open_source``, ``fictitious``).
_BOOLEANS = {"true": True, "false": False}
# Strings every YAML reader must keep as strings: keys, years, dates and phone numbers
# (09663 is no number, 2021 no integer, 2021-09-01 no date object), quoted as people
# write them.
_NUMERIC = re.compile(r"[0-9+][0-9+\-/() ]*")


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the hand-written case files do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _NUMERIC.fullmatch(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def front_matter_yaml(front: Mapping[str, Any]) -> str:
    """Front-matter keys as YAML lines, written like ``case_text`` writes them.

    For editing some keys of an existing file in place (the confirmation import).
    """
    return YAMLHandler().export(dict(front), **_DUMP_OPTIONS) + "\n"


_DUMP_OPTIONS: dict[str, object] = {
    "Dumper": _Dumper,
    "sort_keys": False,
    "width": 10_000,
}


def case_text(
    front: Mapping[str, Any], body: str, comments: Mapping[str, str] | None = None
) -> str:
    """A case file: front matter, a blank line, the body (surrounding blank lines dropped).

    ``comments`` puts a YAML comment after a top-level key's line (a hint for editors).
    """
    post = frontmatter.Post(body.strip("\n"))
    post.metadata.update(front)
    text = frontmatter.dumps(post, handler=YAMLHandler(), **_DUMP_OPTIONS) + "\n"
    lines = text.split("\n")
    for key, comment in (comments or {}).items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}: "))
        lines[index] += f"  # {comment}"
    return "\n".join(lines)


def plain_data(node: Node) -> Any:
    """The data of a loaded front-matter node: strings, booleans, ``None``, lists, dicts."""
    if isinstance(node, MappingNode):
        return {key: plain_data(entry.value) for key, entry in node.entries.items()}
    if isinstance(node, SequenceNode):
        return [plain_data(item) for item in node.items]
    assert isinstance(node, ScalarNode)
    if node.is_null:
        return None
    if node.plain and node.value in _BOOLEANS:
        return _BOOLEANS[node.value]
    return node.value
