"""integrations: adapters to the outside world, one module each.

Workspaces (where actions land): `local` (SQLite, the embedded default),
`bitrix24` (REST). Voice platforms: `alice`, `google`.
"""
from integrations.base import Action, Created, Person, Workspace

__all__ = ["Action", "Created", "Person", "Workspace"]
