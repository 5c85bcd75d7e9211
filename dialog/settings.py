"""The dialog's own settings (SEKRETAR_LINK_*, SEKRETAR_DIALOG_*), read with
the shared `env` helpers; the common ones (code length, default event
duration...) stay in `sekretar.core.config.Settings`."""
from __future__ import annotations

from dataclasses import dataclass

from sekretar.core.config import env_int


@dataclass(frozen=True)
class DialogSettings:
    link_max_tries: int = 5             # wrong codes per voice user ...
    link_window_seconds: int = 900      # ... in this window, then a cool-down
    # no global limit: each code has a guess budget instead (store/codes.py, docs/security.md)
    state_ttl_seconds: int = 1800       # a half-finished conversation older than this is dropped

    @classmethod
    def from_env(cls) -> "DialogSettings":
        return cls(
            link_max_tries=env_int("SEKRETAR_LINK_MAX_TRIES", 5),
            link_window_seconds=env_int("SEKRETAR_LINK_WINDOW", 900),
            state_ttl_seconds=env_int("SEKRETAR_DIALOG_TTL", 1800),
        )
