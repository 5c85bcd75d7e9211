"""dialog: a platform-neutral conversation. `Turn` in, `Reply` out.

    from sekretar.dialog import Dialog
    dialog = Dialog(parser, store, workspace, outbox, settings)   # built once (sekretar.app)
    reply = dialog.handle(Turn(user="alice:XYZ", text="Поставь задачу Насте", now=now))

See docs/dialog.md for the conversation it holds.
"""
from sekretar.dialog.machine import Dialog
from sekretar.dialog.settings import DialogSettings
from sekretar.dialog.steps import Said, Step, TurnOutcome

from sekretar.core.types import Reply, Turn

__all__ = ["Dialog", "DialogSettings", "Turn", "Reply", "Step", "TurnOutcome", "Said"]
