"""Which generated files show the cases' texts (bodies).

The cache keeps a generated page or data file while what it is made from is unchanged;
for every file but a case's own page and JSON record and those marked
``OutputFile.reads_texts``, that is the cases without their texts (see
``assembly.Inputs.structure``). This checks the assumption for every file the
generators make: from two catalogues that differ only in the cases' texts, each such
file comes out the same.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from praxisatlas import generators
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.pipeline import load_catalogue
from praxisatlas.output import Content, OutputFile, SiteSettings
from tests.synthetic import write_synthetic_cases

TODAY = dt.date(2026, 11, 22)


def _files(catalogue: Catalogue) -> dict[str, OutputFile]:
    settings = SiteSettings(site_url="https://praxisatlas.example.org/", today=TODAY)
    return {
        output.path: output
        for generate in generators.GENERATORS
        for output in generate(catalogue, settings)
    }


def _bytes(content: Content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def test_only_case_files_and_marked_files_show_the_cases_texts(tmp_path: Path) -> None:
    write_synthetic_cases(tmp_path / "cases", 30, seed=21)
    catalogue = load_catalogue(tmp_path / "cases", today=TODAY)
    other = Catalogue(
        [
            dataclasses.replace(case, body=f"## Ausgangslage\n\nAnderer Text zu {case.id}.\n")
            for case in catalogue
        ],
        catalogue.vocabulary,
        catalogue.reference,
        today=TODAY,
    )
    first, second = _files(catalogue), _files(other)
    assert first.keys() == second.keys()
    differ = {
        path
        for path, output in first.items()
        if _bytes(output.content) != _bytes(second[path].content)
    }
    own = {path for path, output in first.items() if output.case_id is not None}
    marked = {path for path, output in first.items() if output.reads_texts}
    assert differ - own - marked == set()
    # The check has something to find: the case pages, records and the search index.
    assert {"katalog/suchindex.json"} | own <= differ
