"""Time zones by IANA name, read in one place with one error.

Every entry point (the parser, the dialog, the CLI, the JSON API, the voice
platforms) names a zone as text; `zone(name)` turns it into a `ZoneInfo`
or raises `UnknownTimeZone` (a `ConfigError`), whose message says what
was expected. A platform that must not fail a turn on a device's bad zone
uses `zone_or(name, default)`.
"""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from sekretar.core.errors import UnknownTimeZone


@lru_cache(maxsize=256)
def _load(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name) -> ZoneInfo:
    """The zone called `name` ("Europe/Moscow"); UnknownTimeZone otherwise."""
    if isinstance(name, ZoneInfo):
        return name
    if not isinstance(name, str) or not name.strip():
        raise UnknownTimeZone(f"unknown time zone {name!r} (expected an IANA name like Europe/Moscow)")
    try:
        return _load(name)
    except (ValueError, KeyError, OSError, TypeError):
        raise UnknownTimeZone(f"unknown time zone {name!r} (expected an IANA name like Europe/Moscow)") from None


def zone_or(name, default: str) -> str:
    """`name` when it is a zone we know, else `default` (a device's zone that
    does not read is no reason to fail the user's turn)."""
    try:
        zone(name)
        return name
    except UnknownTimeZone:
        return default
