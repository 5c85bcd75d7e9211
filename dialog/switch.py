"""A new command said at a confirmation (issue 9, item 9): «напиши Дмитрию
Орлову, что созвон переносится» while «Поставить задачу …?» is open is a
command of its own, not a correction of the task. The pending action is
dropped, and the reply says so before asking about the new one: «Хорошо,
задачу «Отчёт» не ставлю. Отправить сообщение Дмитрию Орлову: …?» (the
intent's `dropped` sentence, sekretar/core/intents.yaml). Hooked into
Acting._correct with one call."""
from __future__ import annotations

from sekretar.dialog.confirm import is_new_command, restates, without_no
from sekretar.dialog.render import Render

from sekretar.core.types import Reply


def switch_reply(dialog, ctx, p, text: str) -> Reply | None:
    """The reply to a new command at the confirmation of `p`, or None when
    `text` is not one (a correction, handled as before)."""
    cmd = dialog._parse(ctx, without_no(text, ctx.lex))
    if not is_new_command(cmd, p.intent):
        return None
    lead = "" if restates(cmd, p) else dropped(dialog, ctx, p)
    follow = dialog._command(ctx, cmd)
    return dialog._say(ctx, f"{lead} {follow.text}".strip(), follow.outcome, buttons=follow.buttons)


def dropped(dialog, ctx, p) -> str:
    """«Хорошо, задачу «Отчёт» не ставлю.» — what happens to the pending action."""
    person = dialog.people.get(p.person) if p.person else None
    return Render(ctx.ph, ctx.now).dropped(p, person, ctx.actor)
