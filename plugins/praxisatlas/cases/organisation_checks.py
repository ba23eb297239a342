"""The organisation rules: a Kreis by key or name, a Gemeinde, or another organisation.

An organisation names a Kreis by its key (5 digits) or its current name, a Gemeinde by
its 8-digit key and name, or anything else (an IT service provider, a Land office) by
name and kind. The Land follows from the Kreis; given besides, it must agree.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from praxisatlas.cases.check_context import Checker
from praxisatlas.cases.loader import MappingNode, ScalarNode
from praxisatlas.cases.model import Organisation
from praxisatlas.cases.reference import Kreis

# Names that say they are a Kreis, not a Gemeinde or an office.
_NAMES_A_KREIS_RE = re.compile(r"kreis|^(städte)?region\b|^regionalverband\b", re.IGNORECASE)

# A Kreis and the key the file gave for it (None: the Kreis was found by name, or the
# organisation is not a Kreis or Gemeinde); None instead of the pair: nothing to build.
_Found = tuple[Kreis | None, str | None] | None


class OrganisationChecks(Checker):
    def organisation(
        self, raw: dict[str, Any], node: MappingNode, path: str
    ) -> Organisation | None:
        """The ``Organisation`` of one checked entry of ``organisations``, or None (with
        the problem reported, unless the field checks reported it already)."""
        ags_entry = node.entries.get("ags")
        found: _Found = None
        if raw.get("ags") is not None and ags_entry is not None:
            found = self.kreis_of_key(raw, ags_entry.value.line, path)
        elif ags_entry is None or (
            isinstance(ags_entry.value, ScalarNode) and ags_entry.value.is_null
        ):
            found = None if "ags" in node.entries else self.kreis_of_name(raw, node, path)
        if found is None or raw.get("role") is None:
            return None
        kreis, key = found
        name: str | None = raw.get("name")
        if kreis is None:
            land_code = raw.get("land")
            land = None if land_code is None else self.ctx.reference.land_by_code.get(land_code)
            kind = raw.get("kind")
            assert name is not None and kind is not None
            return Organisation(role=raw["role"], name=name, kind=kind, land=land)
        if name is not None and not self.name_fits_kreis(name, kreis, key, node, path):
            return None
        return self.kreis_organisation(raw, node, path, kreis, key)

    def kreis_of_key(self, raw: dict[str, Any], line: int, path: str) -> _Found:
        """The Kreis of ``ags``: a Kreis or Gemeinde key, or a Kreis's name."""
        ags: str = raw["ags"]
        where = f"{path}.ags"
        if not ags.isdigit():
            kreis = self.resolve_kreis_name(ags, line, where)
            return None if kreis is None else (kreis, kreis.ags)
        if len(ags) not in (5, 8):
            missing_zero = ""
            if len(ags) in (4, 7):
                missing_zero = f'; fehlt die führende Null? Bitte in Anführungszeichen: "0{ags}"'
            self.report(
                line,
                where,
                "Der Schlüssel muss 5 (Kreis) oder 8 (Gemeinde) Ziffern haben, "
                f"gefunden: '{ags}'{missing_zero}",
            )
            return None
        kreis = self.check_kreis_key(ags, line, where)
        if kreis is None:
            return None
        if len(ags) == 8 and raw.get("name") is None:
            self.report(
                line,
                f"{path}.name",
                "Bei einem 8-stelligen Gemeindeschlüssel bitte auch den Namen der Gemeinde angeben",
            )
            return None
        return kreis, ags

    def kreis_of_name(self, raw: dict[str, Any], node: MappingNode, path: str) -> _Found:
        """Without ``ags``: name and kind, or a name that is exactly one Kreis."""
        name: str | None = raw.get("name")
        if name is None:
            if "name" not in node.entries:  # a rejected name was reported already
                self.report(
                    node.line, path, "Entweder ags (Kreisschlüssel) oder name und kind angeben"
                )
            return None
        if raw.get("kind") is not None:
            return None, None
        if "kind" in node.entries:
            return None  # a rejected kind was reported already
        matches = self.ctx.reference.kreise_named(name)
        if len(matches) == 1 and raw.get("land") is None:
            return matches[0], matches[0].ags
        line = node.entries["name"].value.line
        if len(matches) > 1:
            self.resolve_kreis_name(name, line, f"{path}.name")
        else:
            self.report(
                line,
                f"{path}.kind",
                "Ohne ags bitte die Art der Organisation angeben (kind, z. B. IT-Dienstleister)",
            )
        return None

    def kreis_organisation(
        self, raw: dict[str, Any], node: MappingNode, path: str, kreis: Kreis, key: str | None
    ) -> Organisation | None:
        land = self.ctx.reference.land_of(kreis)
        land_code = raw.get("land")
        if land_code is not None and land_code != land.code:
            self.report(
                node.entries["land"].value.line,
                f"{path}.land",
                f"Widerspricht dem Kreisschlüssel ({kreis.label} liegt in {land.name}); land "
                "bei ags bitte weglassen",
            )
            return None
        kind: str | None = raw.get("kind")
        if len(key or "") == 8:
            kind = kind or "Gemeinde"
        return Organisation(
            role=raw["role"],
            name=raw.get("name") or kreis.label,
            kind=kind or kreis.type_label,
            ags=key,
            kreis=kreis,
            land=land,
        )

    def resolve_kreis_name(self, name: str, line: int, path: str) -> Kreis | None:
        ref = self.ctx.reference
        matches = ref.kreise_named(name)
        if len(matches) == 1:
            return matches[0]
        if matches:
            options = " oder ".join(f'{k.label} ({k.type_label}, "{k.ags}")' for k in matches)
            self.report(
                line, path, f"'{name}' ist mehrdeutig: {options}; bitte den Schlüssel angeben"
            )
        else:
            found = ref.suggest_kreise(name)
            meant = (
                (" (meinten Sie " + " oder ".join(f'{k.label}, "{k.ags}"' for k in found) + "?)")
                if found
                else ""
            )
            self.report(line, path, f"Kein aktueller Kreis namens '{name}'{meant}")
        return None

    def check_kreis_key(self, key: str, line: int, path: str) -> Kreis | None:
        ref = self.ctx.reference
        kreis = ref.kreis_by_ags.get(key[:5])
        if kreis is None:
            self.report(line, path, f"Unbekannter Kreisschlüssel '{key[:5]}' (siehe /kreise/)")
            return None
        if not kreis.current:
            successor = ref.kreis_by_ags.get(kreis.successor)
            since = dt.date.fromisoformat(kreis.valid_until) + dt.timedelta(days=1)
            target = f'{successor.label} ("{successor.ags}")' if successor else kreis.successor
            self.report(
                line,
                path,
                f"{kreis.name} ({kreis.ags}) gehört seit {since:%d.%m.%Y} zum {target}; bitte "
                "diesen Schlüssel angeben",
            )
            return None
        return kreis

    def name_fits_kreis(
        self, name: str, kreis: Kreis, key: str | None, node: MappingNode, path: str
    ) -> bool:
        """False (and reported) when ``name`` names another Kreis than the key does.

        Only names that say they are a Kreis ("Landkreis Görlitz", "Rhein-Kreis Neuss",
        "Region Hannover") are compared: a Gemeinde may share its name with a Kreis
        elsewhere (Frankenthal in Sachsen, Lichtenfels in Hessen).
        """
        if not _NAMES_A_KREIS_RE.search(name):
            return True
        named = self.ctx.reference.kreise_named(name)
        if not named or any(k.ags == kreis.ags for k in named):
            return True
        others = " oder ".join(f'{k.label} ("{k.ags}")' for k in named)
        entry = node.entries.get("name")
        self.report(
            entry.value.line if entry is not None else 1,
            f"{path}.name",
            f"'{name}' ist {others}, der Schlüssel \"{key or kreis.ags}\" gehört aber zu "
            f"{kreis.label}; bitte Name oder Schlüssel korrigieren (oder den Namen weglassen)",
        )
        return False
