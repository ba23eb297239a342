"""Web addresses from case files: what a published link may be, and where it may lead.

Used twice: by validation (a source or contact URL must be a plain public web address)
and by the link checker (which must never connect to this machine or its network, even
when a public name resolves there or a public page redirects there).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
import urllib.parse

# Host name endings that only mean something inside one network.
_INTERNAL_SUFFIXES = (
    ".localhost",
    ".local",
    ".localdomain",
    ".internal",
    ".intranet",
    ".lan",
    ".home",
    ".corp",
    ".home.arpa",
    ".arpa",
)
# Numeric host forms a browser or resolver reads as an IP address (127.1, 0x7f.1, 2130706433).
_NUMERIC_HOST_RE = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$")
_LABEL_RE = re.compile(r"^(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?$")


def char_name(ch: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)`` for messages."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "CZ"


def internal_host(host: str) -> str | None:
    """Why ``host`` (as written in a URL) is not a public host name, or None."""
    host = host.lower()
    if host.startswith("["):
        return "IP-Adressen sind nicht erlaubt; bitte den Namen der Website angeben"
    name = host.rstrip(".")
    try:
        ipaddress.ip_address(name)
        return "IP-Adressen sind nicht erlaubt; bitte den Namen der Website angeben"
    except ValueError:
        pass
    if _NUMERIC_HOST_RE.match(name):
        return "IP-Adressen sind nicht erlaubt; bitte den Namen der Website angeben"
    if name == "localhost" or name.endswith(_INTERNAL_SUFFIXES):
        return f"'{name}' ist eine Adresse im eigenen Rechner oder Netz, keine öffentliche Website"
    if "." not in name:
        return (
            f"'{name}' ist kein öffentlicher Rechnername (Domain fehlt, z. B. "
            "www.kreis-beispiel.de)"
        )
    if not all(_LABEL_RE.match(label) for label in name.split(".")):
        return f"'{name}' ist kein gültiger Rechnername"
    return None


def url_problem(url: str) -> str | None:
    """German reason why ``url`` may not be published as a link, or None.

    Allowed: ``http://`` and ``https://`` addresses of public host names, written with
    visible characters only, without user name or password.
    """
    for index, ch in enumerate(url):
        if ch == " ":
            return (
                f"Leerzeichen an Stelle {index + 1}; Webadressen enthalten keine Leerzeichen "
                "(als %20 schreiben)"
            )
        if _invisible(ch):
            return (
                f"Unsichtbares oder Steuerzeichen {char_name(ch)} an Stelle {index + 1}; "
                "Webadressen bestehen nur aus sichtbaren Zeichen"
            )
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return "Die Adresse ist nicht lesbar (Rechnername oder Port ungültig)"
    if parts.scheme.lower() not in ("http", "https") or not url.lower().startswith(
        ("http://", "https://")
    ):
        return "erlaubt sind nur Adressen mit http:// und https://"
    if "@" in parts.netloc:
        return (
            "Benutzername oder Passwort in der Adresse (…@) sind nicht erlaubt; bitte die "
            "öffentliche Adresse ohne Anmeldedaten angeben"
        )
    host = parts.hostname
    if not host:
        return "Der Rechnername fehlt (z. B. https://www.kreis-beispiel.de/)"
    if port is not None and not 0 < port < 65536:
        return f"Ungültiger Port {port}"
    return internal_host(host)


def public_ip(address: str) -> bool:
    """Whether an IP address may be connected to (not loopback, private, link-local,
    multicast, reserved, shared or unspecified; IPv4-mapped IPv6 is judged as IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
