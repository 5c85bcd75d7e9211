"""dialog: a platform-neutral conversation. `Turn` in, `Reply` out."""
from dialog.types import Reply, Turn

__all__ = ["Turn", "Reply"]
