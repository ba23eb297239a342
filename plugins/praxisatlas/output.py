"""What generators hand to the MkDocs plugin: files to add to the site, in memory.

Each generator module (site pages, search index, exports, feeds, statistics, map)
exposes ``generate(catalogue, settings) -> list[OutputFile]`` and knows nothing of
MkDocs; ``plugin.py`` turns the list into ``File.generated(...)`` objects.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from praxisatlas.cases.catalogue import Catalogue

Content = str | bytes

# Characters PyYAML refuses in a stream even inside a quoted string.
_YAML_UNSAFE = re.compile("[\x7f-\x84\x86-\x9f\ufeff]")


@dataclass(frozen=True)
class OutputFile:
    """A page (``.md``) or data file (anything else) at a site-relative source path.

    ``source`` is the content, or a function that makes it when it is needed: a page's
    Markdown when MkDocs reads the page (its ``front_matter`` is known at once), a data
    file's content after the pages are converted. So a build never holds every page's
    Markdown at the same time.
    """

    path: str
    source: Content | Callable[[], Content]
    # Index pages go into the navigation; case pages never do (see DESIGN.md §2).
    in_nav: bool = False
    # Of a page whose ``source`` is a function: its front matter, written by us.
    front_matter: str = ""
    # Of a data file made from one case only (besides settings and vocabulary): its id,
    # so the cache keeps the file while other cases change. Of a case's page: the case
    # whose body it shows (no other page shows a body).
    case_id: str | None = None
    # Of a data file made from every case: whether it reads their texts (bodies). One
    # that does not is kept in the cache while only texts change (tests/test_case_texts.py
    # checks each file against catalogues that differ in their texts only).
    reads_texts: bool = False

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")

    @property
    def content(self) -> Content:
        """The whole file (a deferred page with its front matter)."""
        if not callable(self.source):
            return self.source
        made = self.source()
        if self.front_matter and isinstance(made, str):
            return self.front_matter + made
        return made


@dataclass(frozen=True)
class ContributeLinks:
    """Where visitors propose a case or an addition: the repository and its issue forms.

    Plain links to a GitHub or GitLab (OpenCoDE) repository; nothing calls a forge's API.
    Empty addresses mean "not configured": pages then point to the Mitmachen page only.
    """

    repository_url: str = ""
    forge: str = ""  # "github" or "gitlab" (OpenCoDE); "" without a repository
    # The form "Neuer Fall" (GitHub issue form, GitLab issue template).
    issue_form_url: str = ""
    # "Fall ergänzen": a new issue about one case; ``{id}``, ``{title}`` and ``{url}``
    # (the case's address) are filled in, URL-encoded.
    case_issue_template: str = ""
    # "Fall bestätigen": the form "Fall bestätigen oder ergänzen" for one case (``{id}``,
    # ``{title}`` filled in URL-encoded); GitHub prefills the form's "case" field.
    confirm_template: str = ""

    def case_issue_url(self, case_id: str, title: str, url: str = "") -> str:
        if not self.case_issue_template:
            return ""
        values = {"id": case_id, "title": title, "url": url}
        return self.case_issue_template.format(**{k: quote(v, safe="") for k, v in values.items()})

    def confirm_url(self, case_id: str, title: str) -> str:
        if not self.confirm_template:
            return ""
        values = {"id": case_id, "title": title}
        return self.confirm_template.format(**{k: quote(v, safe="") for k, v in values.items()})


def forge_of(repository_url: str) -> str:
    """``github`` for github.com (and GitHub Enterprise hosts named so), else ``gitlab``:
    OpenCoDE and other self-hosted forges of public administrations run GitLab."""
    host = urlsplit(repository_url).hostname or ""
    return "github" if host == "github.com" or host.startswith("github.") else "gitlab"


def contribute_links(
    repository_url: str, issue_form_url: str = "", case_issue_url: str = "", forge: str = ""
) -> ContributeLinks:
    """The links of the Mitmachen page, the case pages and the catalogue: explicit
    addresses win; otherwise they follow from the repository address and its forge
    (GitHub: issue form ``neuer-fall.yml``; GitLab: issue template ``Neuer-Fall``)."""
    repository = repository_url.strip().rstrip("/").removesuffix(".git")
    if not repository:
        return ContributeLinks(issue_form_url=issue_form_url, case_issue_template=case_issue_url)
    forge = forge or forge_of(repository)
    if forge == "github":
        form = f"{repository}/issues/new?template=neuer-fall.yml"
        case = f"{repository}/issues/new?title={_CASE_ISSUE_TITLE}&body={_CASE_ISSUE_BODY}"
        confirm = (
            f"{repository}/issues/new?template=fall-bestaetigen.yml"
            f"&title={_CONFIRM_TITLE}&case={{id}}"
        )
    else:
        form = f"{repository}/-/issues/new?issuable_template=Neuer-Fall"
        case = (
            f"{repository}/-/issues/new?issue%5Btitle%5D={_CASE_ISSUE_TITLE}"
            f"&issue%5Bdescription%5D={_CASE_ISSUE_BODY}"
        )
        confirm = (
            f"{repository}/-/issues/new?issuable_template=Fall-bestaetigen"
            f"&issue%5Btitle%5D={_CONFIRM_TITLE}"
        )
    return ContributeLinks(
        repository_url=repository,
        forge=forge,
        issue_form_url=issue_form_url or form,
        case_issue_template=case_issue_url or case,
        # An own "Fall ergänzen" address is an own issue tracker: no form to guess there.
        confirm_template="" if issue_form_url or case_issue_url else confirm,
    )


# Title and text of a "Fall ergänzen" issue, URL-encoded around the placeholders (the
# case's values are encoded when they are filled in).
_CASE_ISSUE_TITLE = quote("Ergänzung zu „{title}“", safe="{}")
_CONFIRM_TITLE = quote("[Fall bestätigen]: {title}", safe="{}")
_CASE_ISSUE_BODY = quote(
    "Fall: {id} ({url})\n\nWas ist neu, falsch oder fehlt? Bitte mit öffentlicher Quelle:\n",
    safe="{}",
)


@dataclass(frozen=True)
class SiteSettings:
    """Everything generators need to know about the site being built."""

    site_url: str = ""
    # e.g. "https://github.com/org/praxisatlas/edit/main/cases/{path}"; "" hides the link
    edit_url_template: str = ""
    contribute: ContributeLinks = field(default_factory=ContributeLinks)
    today: dt.date = field(default_factory=dt.date.today)
    # "Last updated" stamp for feeds and exports; fixed per build for determinism
    build_date: dt.date = field(default_factory=dt.date.today)
    production: bool = False


@dataclass(frozen=True)
class PageContext:
    """What a page filter may read: the catalogue, settings, ``extra`` from mkdocs.yml."""

    catalogue: Catalogue
    settings: SiteSettings
    extra: dict[str, Any] = field(default_factory=dict)
    src_path: str = ""


# Names reserved for examples and tests (RFC 2606, RFC 6761): a site published there
# would point its sitemap, canonical links, feeds and forms at nobody's server.
_RESERVED_SECOND_LEVEL = ("example.com", "example.net", "example.org")
_RESERVED_TOP_LEVEL = ("example", "test", "invalid", "localhost", "local")


def site_url_problem(site_url: str) -> str | None:
    """A German message if ``site_url`` is empty or a placeholder, else ``None``."""
    if not site_url.strip():
        return (
            "mkdocs.yml, site_url: Die Adresse der Website fehlt. Sie wird für kanonische "
            "Links, die sitemap.xml, die Feeds und die Formular-Links gebraucht."
        )
    host = (urlsplit(site_url.strip()).hostname or "").rstrip(".").lower()
    reserved = (
        not host
        or host.rsplit(".", 1)[-1] in _RESERVED_TOP_LEVEL
        or any(host == d or host.endswith("." + d) for d in _RESERVED_SECOND_LEVEL)
        or _is_ip_literal(host)
    )
    if not reserved:
        return None
    return (
        f"mkdocs.yml, site_url: '{site_url}' ist ein Platzhalter ({host or 'keine Domain'} "
        "ist für Beispiele reserviert oder keine öffentliche Adresse). Bitte die echte "
        "Adresse der Website eintragen, z. B. https://praxisatlas.landkreis-beispiel.de/."
    )


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_site_url(extra: dict[str, Any], settings: SiteSettings) -> list[str]:
    """Config check: the production site needs its real address."""
    problem = site_url_problem(settings.site_url)
    return [problem] if problem else []


def _yaml_value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def page_front_matter(meta: dict[str, Any]) -> str:
    """A YAML front-matter block; every value JSON-quoted (JSON is valid YAML)."""
    lines = [f"{key}: {_yaml_value(value)}" for key, value in sorted(meta.items())]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def compact_json(data: Any) -> str:
    """JSON without spaces, keys sorted: the same text for the same data every time."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/ld+json">`` (no ``</script>``)."""
    text = compact_json(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def template_environment(package: str, folder: str, *, autoescape: bool = True) -> Environment:
    """A Jinja environment for a stage's templates; the same settings everywhere.

    ``autoescape=False`` only for templates that write Markdown and escape every dynamic
    value themselves (the contributing page's field reference).
    """
    return Environment(
        loader=PackageLoader(package, folder),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # package files: no need to check them before every render
    )
