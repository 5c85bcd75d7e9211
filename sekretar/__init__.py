"""sekretar: a voice secretary for the workplace.

The parts live in top-level packages (see ../shared/DESIGN.md):
`grammar` (text → Command), `dialog` (Turn → Reply), `integrations`
(voice platforms and workspaces), `store` (state), `voice` (Vosk),
`server` (Flask). This package holds what they share: the exception
hierarchy, configuration, and the command line.
"""
from sekretar.errors import SekretarError

__version__ = "0.1.0"
__all__ = ["SekretarError", "__version__"]
