"""sekretar: a voice secretary for the workplace.

Everything installs under this one name (see ../shared/DESIGN.md):

    sekretar.core          the foundation: errors, configuration, logging, text helpers, shared types
    sekretar.grammar       text -> Command (pure: imports only sekretar.core)
    sekretar.store         links, codes, dialog state, the outbox (SQLite / PostgreSQL)
    sekretar.dialog        Turn -> Reply, the conversation
    sekretar.integrations  workspaces (local, Bitrix24) and voice platforms (Alice, Google, API)
    sekretar.voice         speech -> text with Vosk
    sekretar.app           the wiring: one App built from Settings
    sekretar.cli           the command line          (top of the graph)
    sekretar.web           the Flask server           (top of the graph)

In the repository the parts sit at the top level, as the design card fixes it
(grammar/, dialog/, integrations/, store/, voice/); the wheel maps them into
this package with setuptools' package-dir. In a checkout the same mapping is
made here: the repository root joins this package's search path, so
`sekretar.grammar` is `grammar/` whether installed, editable or run in place.
"""
from pathlib import Path as _Path

from sekretar.core.errors import SekretarError

_root = _Path(__file__).resolve().parent.parent
if not (_Path(__file__).parent / "grammar").is_dir() and (_root / "grammar" / "__init__.py").is_file():
    __path__.append(str(_root))  # noqa: F821 - a package's own __path__

__version__ = "0.1.0"
__all__ = ["SekretarError", "__version__"]
