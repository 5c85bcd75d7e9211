"""integrations: adapters to the outside world, one module each.

Workspaces (where actions land): `local` (SQLite, the embedded default),
`bitrix24` (REST). Voice platforms: `alice`, `google`.
"""
from sekretar.core.types import Action, Created, Person, Workspace

__all__ = ["Action", "Created", "Person", "Workspace", "open_workspace"]


def open_workspace(settings, store=None) -> Workspace:
    """The workspace `settings.workspace` names: "local" (tables in the
    store's database) or "bitrix24" (integrations.bitrix24). ConfigError
    for anything else."""
    from sekretar.core.errors import ConfigError

    kind = (settings.workspace or "local").strip().lower()
    if kind == "local":
        from sekretar.integrations.local import LocalWorkspace
        from sekretar.store.db import Database

        db = getattr(store, "db", None)
        return LocalWorkspace(db if isinstance(db, Database) else Database(settings.db_url))
    if kind == "bitrix24":
        try:
            from sekretar.integrations.bitrix24 import open_workspace as open_bitrix24
        except ImportError as exc:
            raise ConfigError(f"the bitrix24 workspace is not available: {exc}") from None
        return open_bitrix24(settings, store)
    raise ConfigError(f"unknown workspace {settings.workspace!r} (SEKRETAR_WORKSPACE): use local or bitrix24")
