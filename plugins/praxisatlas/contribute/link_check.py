"""The link check of the editorial report: does an external URL still answer?

HEAD, then GET; only public addresses are contacted, checked after DNS resolution and
again for every redirect, without a proxy (so no link in a case file can make the check
reach the maintainer's own machine or network).
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from praxisatlas.cases.addresses import public_ip

USER_AGENT = "Praxisatlas-Linkpruefung/1.0 (woechentliche Pruefung der Quellenangaben)"


@dataclass(frozen=True)
class LinkResult:
    """Outcome of checking one URL: ``ok``, ``broken`` or ``unclear`` (blocked, rate limit)."""

    url: str
    state: str
    detail: str


_UNCLEAR_STATUS = {401, 403, 429}
Fetcher = Callable[[str, float], LinkResult]


# Which resolved addresses the link check may connect to: (ip, port) -> allowed.
AddressPolicy = Callable[[str, int], bool]


def public_address(ip: str, port: int) -> bool:
    """The link check's policy: public addresses only (see ``addresses.public_ip``)."""
    return public_ip(ip)


class ForbiddenAddress(OSError):
    """A link led to an address the link check must not connect to."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} -> {address}")
        self.host = host
        self.address = address


def _guarded_connect(allow: AddressPolicy) -> Callable[..., socket.socket]:
    """``socket.create_connection`` that resolves the host once, refuses it when any of
    its addresses is not allowed, and connects to a checked address (so a second DNS
    answer cannot lead elsewhere)."""

    def connect(
        address: tuple[str, int],
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
        **_: Any,
    ) -> socket.socket:
        host, port = address
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for *_rest, sockaddr in infos:
            if not allow(str(sockaddr[0]), port):
                raise ForbiddenAddress(host, str(sockaddr[0]))
        last: OSError | None = None
        for family, kind, proto, _name, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                if source_address is not None:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as error:
                sock.close()
                last = error
        raise last or OSError(f"{host}: keine Adresse")

    return connect


def _opener(allow: AddressPolicy) -> urllib.request.OpenerDirector:
    """A urllib opener whose every connection, the first and each redirect's, goes
    through the address check; no proxy (it would hide where a request goes)."""
    connect = _guarded_connect(allow)

    # http.client opens every connection with the attribute _create_connection that its
    # __init__ sets to socket.create_connection; replacing it there keeps HTTPS' own TLS
    # setup (and its check of the host name) as it is.
    class GuardedHTTP(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class GuardedHTTPS(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTPS, req, context=ssl.create_default_context())

    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), HTTPHandler(), HTTPSHandler()
    )


def _request(url: str, method: str, timeout: float, allow: AddressPolicy) -> int:
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with _opener(allow).open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _forbidden(error: BaseException) -> ForbiddenAddress | None:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return reason if isinstance(reason, ForbiddenAddress) else None


def check_url(url: str, timeout: float = 10.0, allow: AddressPolicy | None = None) -> LinkResult:
    """HEAD, then GET when HEAD is refused or fails (many servers mishandle HEAD).

    Connects only to addresses ``allow`` permits (default: ``public_address``), checked
    after DNS resolution and again for every redirect.
    """
    allow = allow or public_address
    if not re.match(r"^https?://", url, flags=re.IGNORECASE):
        return LinkResult(url, "broken", "keine http(s)-Adresse")
    try:
        try:
            status = _request(url, "HEAD", timeout, allow)
        except (urllib.error.URLError, OSError) as error:
            if _forbidden(error) is not None:
                raise
            status = 0
        if status == 0 or status >= 400:
            status = _request(url, "GET", timeout, allow)
    except (urllib.error.URLError, OSError) as error:
        forbidden = _forbidden(error)
        if forbidden is not None:
            return LinkResult(
                url,
                "broken",
                f"nicht geprüft: {forbidden.host} führt zur Adresse {forbidden.address} im "
                "eigenen Rechner oder Netz (geprüft werden nur öffentliche Adressen)",
            )
        if not isinstance(error, urllib.error.URLError):
            if isinstance(error, TimeoutError):
                return LinkResult(url, "unclear", f"keine Antwort innerhalb von {timeout:g} s")
            return LinkResult(url, "broken", f"nicht erreichbar ({error})")
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return LinkResult(url, "unclear", f"keine Antwort innerhalb von {timeout:g} s")
        return LinkResult(url, "broken", f"nicht erreichbar ({reason})")
    except ValueError as error:
        return LinkResult(url, "broken", f"nicht erreichbar ({error})")
    if status < 400:
        return LinkResult(url, "ok", f"HTTP {status}")
    if status in _UNCLEAR_STATUS:
        return LinkResult(url, "unclear", f"HTTP {status} (Zugriff verweigert oder begrenzt)")
    return LinkResult(url, "broken", f"HTTP {status}")
