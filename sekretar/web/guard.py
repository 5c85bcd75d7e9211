"""Request guards of the web layer (docs/security.md): where a request
comes from, whether its Host and Origin are ours, the code page's CSRF
token, and a JSON body read without crashing on hostile input.

- `client_address`: the peer's address; X-Forwarded-For is believed only
  when the peer is one of SEKRETAR_TRUSTED_PROXIES (then the rightmost
  address that is not a trusted proxy is the client).
- `is_direct_local`: a loopback peer with no proxy headers at all (behind a
  proxy every client looks local).
- `host_allowed`: the Host header names this server: a loopback name, or
  one of SEKRETAR_ALLOWED_HOSTS (DNS rebinding sends the attacker's name).
- `origin_allowed`: a browser's Origin (or Referer) on a POST is this host.
- `Csrf`: a token signed with the server's secret, valid for an hour.
- `read_json`: the body as JSON, or None: nested deeper than MAX_DEPTH is
  refused before the parser recurses, and lone surrogates (valid JSON
  escapes, invalid text) become U+FFFD so nothing later fails to encode.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import sys
import time
from urllib.parse import urlsplit

PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded", "X-Forwarded-Host")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_DEPTH = 32          # no request of any platform nests deeper than ~8
CSRF_SECONDS = 3600


def parse_networks(text: str | None, name: str) -> tuple:
    """'203.0.113.0/24, 2001:db8::/32' → networks; a clear error on a bad one."""
    from sekretar.core.errors import ConfigError

    nets = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            nets.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigError(f"{name}: {part!r} is not an address or network (CIDR)") from None
    return tuple(nets)


def _ip(text: str | None):
    try:
        return ipaddress.ip_address((text or "").strip().strip("[]"))
    except ValueError:
        return None


def in_networks(addr, nets) -> bool:
    return addr is not None and any(addr.version == n.version and addr in n for n in nets)


def client_address(remote_addr: str | None, headers, trusted_proxies=()):
    """The client's address (an ip_address, or None if unreadable)."""
    peer = _ip(remote_addr)
    if peer is None or not in_networks(peer, trusted_proxies):
        return peer
    hops = [h.strip() for h in headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _ip(hop)
        if addr is None:
            return None
        if not in_networks(addr, trusted_proxies):
            return addr
    return peer


def is_direct_local(remote_addr: str | None, headers) -> bool:
    if any(h in headers for h in PROXY_HEADERS):
        return False
    addr = _ip(remote_addr)
    return bool(addr and addr.is_loopback)


def hostname(host_header: str | None) -> str:
    host = (host_header or "").strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host_header: str | None, allowed=()) -> bool:
    name = hostname(host_header)
    return bool(name) and (name in LOOPBACK_NAMES or name in {a.lower() for a in allowed})


def origin_allowed(headers, host_header: str | None, allowed=()) -> bool:
    """A POST's Origin (else Referer) names this server; neither: not a
    browser's cross-site request (browsers send Origin on cross-site POSTs)."""
    origin = headers.get("Origin") or headers.get("Referer")
    if not origin:
        return True
    try:
        name = (urlsplit(origin).hostname or "").lower()
    except ValueError:
        return False
    return bool(name) and (name == hostname(host_header) or name in {a.lower() for a in allowed})


class Csrf:
    def __init__(self, secret: bytes, seconds: int = CSRF_SECONDS, clock=time.time):
        self._key = hashlib.sha256(b"sekretar csrf\0" + secret).digest()
        self.seconds = seconds
        self.clock = clock

    def _sign(self, stamp: str) -> str:
        return hmac.new(self._key, stamp.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def token(self) -> str:
        stamp = str(int(self.clock()))
        return f"{stamp}.{self._sign(stamp)}"

    def valid(self, token: str | None) -> bool:
        stamp, _, sig = (token or "").partition(".")
        if not stamp.isdigit() or len(stamp) > 12:
            return False
        if not 0 <= self.clock() - int(stamp) <= self.seconds:
            return False
        return hmac.compare_digest(sig.encode(), self._sign(stamp).encode())


def _depth_ok(raw: str, limit: int = MAX_DEPTH) -> bool:
    """Bracket depth outside strings, without parsing (the parser itself
    recurses and dies at ~1,000 levels)."""
    depth, in_string, escaped = 0, False, False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _clean(value):
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if _has_surrogate(value) else value
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def read_json(data: bytes):
    """The body as a JSON value, or None when it is not (sensible) JSON."""
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not _depth_ok(raw):
        return None
    try:
        return _clean(json.loads(raw))
    except (ValueError, RecursionError):
        return None


def under_gunicorn() -> bool:
    return "gunicorn.arbiter" in sys.modules
