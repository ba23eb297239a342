"""What the MkDocs configuration around the plugin must be: checked before anything is built.

Each problem is a German message naming the setting and the way out; the plugin stops
the build at once on any of them, instead of publishing a site with broken links.
"""

from __future__ import annotations

from collections.abc import Iterable

# Material's plugins (and MkDocs' own search) that are known to work next to ours,
# tested in tests/test_compatibility.py: search, tags, meta.
_REFUSED: dict[str, str] = {
    "offline": (
        "Praxisatlas: Materials Plugin 'offline' wird nicht unterstützt: Es schaltet "
        "'use_directory_urls' ab (damit wären alle erzeugten Links falsch) und bindet ein "
        "Skript von unpkg.com ein (eine Anfrage an Dritte bei jedem Seitenaufruf). Bitte "
        "'offline' aus 'plugins' in mkdocs.yml entfernen."
    ),
}


def _short_name(plugin: str) -> str:
    # "material/offline" and "offline" name the same plugin.
    return plugin.rsplit("/", 1)[-1]


def problems(*, use_directory_urls: bool, plugins: Iterable[str]) -> list[str]:
    """German messages about settings the Praxisatlas cannot build a correct site with."""
    found = [_REFUSED[name] for name in map(_short_name, plugins) if name in _REFUSED]
    if not use_directory_urls and not found:
        found.append(
            "Praxisatlas: 'use_directory_urls: false' wird nicht unterstützt: Die erzeugten "
            "Seiten, der Katalog, die Feeds und die offenen Daten verlinken Fälle und "
            "Übersichten mit Verzeichnis-Adressen (z. B. 'faelle/<kennung>/'), die es dann "
            "nicht gäbe. Bitte 'use_directory_urls: true' in mkdocs.yml setzen (oder die "
            "Zeile entfernen; das ist die Voreinstellung)."
        )
    return found
