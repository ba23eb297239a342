"""Shared fixtures for browser tests: build a small site, serve it, drive Chromium.

Fixtures other test modules use:

- ``built_site`` (session): ``Path`` of a site built from ``tests/fixtures/site_cases/``
  with the repository's ``mkdocs.yml``.
- ``served_site`` (session): base URL of ``built_site`` served on 127.0.0.1, ending in ``/``.
- ``site_builder`` (session): ``site_builder(cases_dir) -> Path`` builds another site (cached
  per cases directory) — combine with ``serve_directory``.
- ``serve_directory`` (session): ``serve_directory(path) -> base URL``; the server stops at
  session end.
- ``browser`` (session): headless Debian Chromium (``/usr/bin/chromium``) via Playwright.
- ``browser_page`` (function): a fresh Playwright ``Page`` (1280×900, locale de-DE) whose
  every request is recorded in ``request_log``. At teardown the test fails if any request
  went to a host other than 127.0.0.1/localhost, so every browser test checks "zero
  third-party requests" for free; call ``request_log.assert_loopback_only()`` to check
  earlier.
- ``request_log`` (function): the ``RequestLog`` of ``browser_page``.
- ``axe_violations`` (session): ``axe_violations(page) -> list[dict]``: axe-core's WCAG 2.1
  A/AA violations on the current page (empty list = pass); ``assert_accessible(page)``
  (session) asserts there are none, listing rule, help text and offending elements.

Browser tests are marked ``@pytest.mark.browser``. When ``/usr/bin/chromium`` is missing they
are skipped with a message — except under CI (``CI=true``), where they run and fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE_CASES = REPO / "tests" / "fixtures" / "site_cases"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Fixed "today" of every test build (the site builder's), for "veraltet" notes and dates.
BUILD_TODAY = "2026-11-22"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() or _in_ci():
        return
    skip = pytest.mark.skip(
        reason=f"Browser-Tests übersprungen: {CHROMIUM} fehlt (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# --- building ---------------------------------------------------------------------------


def build_site(cases_dir: Path, work_dir: Path) -> Path:
    """Build the repository's site (its mkdocs.yml, docs/, overrides/) from ``cases_dir``."""
    from tests.sitebuild import build_repo_site

    return build_repo_site(cases_dir, work_dir)


@pytest.fixture(scope="session")
def site_builder(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    cache: dict[Path, Path] = {}

    def _build(cases_dir: Path) -> Path:
        key = cases_dir.resolve()
        if key not in cache:
            cache[key] = build_site(key, tmp_path_factory.mktemp("site"))
        return cache[key]

    return _build


@pytest.fixture(scope="session")
def built_site(site_builder: Callable[[Path], Path]) -> Path:
    return site_builder(SITE_CASES)


# --- serving ----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve_directory() -> Iterator[Callable[[Path], str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def _serve(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield _serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(built_site: Path, serve_directory: Callable[[Path], str]) -> str:
    return serve_directory(built_site)


# --- browser ----------------------------------------------------------------------------


@dataclass
class RequestLog:
    """Every URL a page requested (documents, scripts, fetches, images, …)."""

    urls: list[str] = field(default_factory=list)

    def external(self) -> list[str]:
        """Requests to anything but the loopback server (data:/blob: URLs are local)."""
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme in ("http", "https", "ws", "wss")
            and (urlsplit(url).hostname or "") not in LOOPBACK_HOSTS
        ]

    def assert_loopback_only(self) -> None:
        external = self.external()
        assert not external, f"Anfragen an fremde Hosts: {external}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists() and not _in_ci():
        pytest.skip(f"{CHROMIUM} fehlt")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def browser_page(browser: Any, request_log: RequestLog) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="de-DE", service_workers="block"
    )
    page = context.new_page()
    page.on("request", lambda request: request_log.urls.append(request.url))
    page.on("websocket", lambda ws: request_log.urls.append(ws.url))
    yield page
    context.close()
    request_log.assert_loopback_only()


@pytest.fixture(scope="session")
def axe_violations() -> Callable[[Any], list[dict[str, Any]]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _run(page: Any) -> list[dict[str, Any]]:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        results = axe.run(page, options=options)
        violations: list[dict[str, Any]] = results.response["violations"]
        return violations

    return _run


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Readable summary for assertion messages: rule id, help text, first offending nodes."""
    lines = []
    for v in violations:
        targets = [str(n.get("target")) for n in v.get("nodes", [])[:3]]
        lines.append(f"{v['id']}: {v['help']} — {', '.join(targets)}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def assert_accessible(
    axe_violations: Callable[[Any], list[dict[str, Any]]],
) -> Callable[[Any], None]:
    """``assert_accessible(page)``: fails with a readable list of WCAG 2.1 A/AA violations."""

    def _check(page: Any) -> None:
        violations = axe_violations(page)
        assert not violations, f"axe-core ({page.url}):\n{describe_violations(violations)}"

    return _check
