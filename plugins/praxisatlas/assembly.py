"""The files one build adds to the site, as the plugin hands them to MkDocs.

``SiteFiles`` runs the registered generators once per build. A page whose Markdown is
made lazily gets its front matter at once and its body when MkDocs reads it
(``page_body``); a data file made lazily (search index, exports, feeds) is made after
the pages are converted (``data_files``), or taken from the cache when nothing it is
made from has changed: its key is a digest of the catalogue, the settings and the
vocabulary (``inputs_digest``), plus the package version the cache adds itself;
a file made from one case (``OutputFile.case_id``) depends on that case only, and one that
reads no case's text (``OutputFile.reads_texts``) on the cases without their bodies.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from praxisatlas import generators
from praxisatlas.cache import ContentCache
from praxisatlas.cases.catalogue import Catalogue
from praxisatlas.cases.model import Case
from praxisatlas.output import Content, SiteSettings

DATA_KIND = "daten"


@dataclass(frozen=True)
class Inputs:
    """Digests of what the generators read besides the package's own files: ``context``
    (settings, "today", the vocabulary), ``everything`` (the context and every case),
    ``structure`` (the context and every case without its body: all a generated page
    reads but the body of the case a case page shows, as no other page shows a body),
    and per case (by id) of the whole case."""

    context: str
    everything: str
    structure: str
    cases: dict[str, str]

    def of_case(self, case: Case) -> str:
        """For a file made from ``case`` only."""
        return self.context + (self.cases.get(case.id) or _case_digest(case)[0])


def _case_digest(case: Case) -> tuple[str, bytes]:
    """Of the whole case, and the case without its body (as bytes)."""
    # Cases are frozen dataclasses of plain values: their repr holds every field.
    shape = repr(dataclasses.replace(case, body="")).encode("utf-8", "surrogatepass")
    whole = hashlib.sha256(len(shape).to_bytes(8, "big") + shape + _body_digest(case))
    return whole.hexdigest(), shape


def _body_digest(case: Case) -> bytes:
    return hashlib.sha256(case.body.encode("utf-8", "surrogatepass")).digest()


def inputs_digest(catalogue: Catalogue, settings: SiteSettings) -> Inputs:
    context = hashlib.sha256()
    context.update(repr(settings).encode("utf-8"))
    context.update(repr(catalogue.today).encode("utf-8"))
    # The vocabulary the catalogue was checked with (not the file again: it may have
    # changed since).
    context.update(catalogue.vocabulary.fingerprint().encode("utf-8", "surrogatepass"))
    everything = context.copy()
    structure = context.copy()
    cases: dict[str, str] = {}
    for case in catalogue.cases.values():
        whole, shape = _case_digest(case)
        everything.update(whole.encode("ascii"))
        structure.update(hashlib.sha256(shape).digest())
        cases[case.id] = whole
    return Inputs(context.hexdigest(), everything.hexdigest(), structure.hexdigest(), cases)


@dataclass(frozen=True)
class Planned:
    """A file to add: its path, its content now ('' or b'' for a data file made later)."""

    path: str
    content: Content
    in_nav: bool
    later: bool  # a page body or data file made later
    of_case: bool = False  # a data file made from a single case

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


class SiteFiles:
    """One build's generated files (see the module docstring)."""

    def __init__(
        self, catalogue: Catalogue, settings: SiteSettings, cache: ContentCache, inputs: Inputs
    ) -> None:
        self.catalogue = catalogue
        self.settings = settings
        self.cache = cache
        self.inputs = inputs
        # Lazily made pages: how, and for a case's page the case it shows.
        self._bodies: dict[str, tuple[Callable[[], Content], str | None]] = {}
        self._data: dict[str, tuple[Callable[[], Content], str]] = {}

    def plan(self) -> Iterator[Planned]:
        for generate in generators.GENERATORS:
            for output in generate(self.catalogue, self.settings):
                if not callable(output.source):
                    content = output.source if output.is_page else _written(output.source)
                    yield Planned(output.path, content, output.in_nav, later=False)
                elif output.is_page:
                    self._bodies[output.path] = (output.source, output.case_id)
                    yield Planned(output.path, output.front_matter, output.in_nav, later=True)
                else:
                    case = self.catalogue.cases.get(output.case_id or "")
                    inputs = self.inputs.everything if output.reads_texts else self.inputs.structure
                    inputs = inputs if case is None else self.inputs.of_case(case)
                    planned = self._data_file(output.path, output.source, output.in_nav, inputs)
                    yield dataclasses.replace(planned, of_case=case is not None)
        # Only planning needs the digest of each case: not kept through the build.
        self.inputs = dataclasses.replace(self.inputs, cases={})

    def _data_file(
        self, path: str, make: Callable[[], Content], in_nav: bool, inputs: str
    ) -> Planned:
        key = self.cache.key(DATA_KIND, inputs, path)
        cached = self.cache.get(DATA_KIND, key)
        if cached is not None:  # the bytes written
            return Planned(path, cached, in_nav, later=False)
        self._data[path] = (make, key)
        return Planned(path, b"", in_nav, later=True)

    def origin(self, path: str) -> str:
        """What the generated page at ``path`` is made from, besides its own Markdown
        (see ``conversion.reuse``): ``Inputs.structure``, and for a case page its body.
        Editing a case's text thus changes the origin of that case's page only."""
        _, case_id = self._bodies.get(path, (None, None))
        case = self.catalogue.cases.get(case_id or "")
        return self.inputs.structure + ("" if case is None else _body_digest(case).hex())

    def page_body(self, path: str) -> str | None:
        """The Markdown body of a lazily made page (once), else ``None``."""
        make, _ = self._bodies.pop(path, (None, None))
        if make is None:
            return None
        body = make()
        return body if isinstance(body, str) else body.decode("utf-8")

    def data_files(self) -> Iterator[tuple[str, bytes]]:
        """Make the data files not found in the cache, and store them there."""
        data, self._data = self._data, {}
        for path, (make, key) in data.items():
            written = _written(make())  # megabytes at 10,000 cases: no text copy kept
            self.cache.put(DATA_KIND, key, written)
            yield path, written


def _written(content: Content) -> bytes:
    """A data file as the bytes written: MkDocs writes text in text mode, which would be
    CRLF on Windows."""
    return content if isinstance(content, bytes) else content.encode("utf-8")
