"""One root exception for the whole project, specific subclasses per part.

Everything sekretar raises on purpose derives from SekretarError, so the
command line and the server can turn any of them into a clear answer
instead of a traceback. Each part adds its own subclasses here, next to
the others, so the hierarchy can be read in one place.
"""


class SekretarError(Exception):
    """Root of every error sekretar raises on purpose."""


class ConfigError(SekretarError):
    """A setting (environment variable, file) is missing or malformed."""


# --- grammar ---------------------------------------------------------------
class GrammarError(SekretarError):
    """Bad input to the parser that cannot be answered with a Command
    (e.g. an unknown time zone or a malformed `now`). Text itself never
    raises: anything that is not a command is `intent: null`."""


class UnknownTimeZone(GrammarError):
    """A time zone name that is not an IANA zone, wherever it was given (a
    parse, a turn, the command line): `sekretar.core.config.zone` raises it.
    The JSON API answers it as a BadRequest."""


# --- store -----------------------------------------------------------------
class StoreError(SekretarError):
    """The state store failed (database unreachable, schema mismatch)."""


# --- workspaces (CRM) --------------------------------------------------------
class WorkspaceError(SekretarError):
    """A workspace (local or CRM) could not do what was asked."""


class PersonNotFound(WorkspaceError):
    """No person in the directory matches."""


class WorkspaceUnavailable(WorkspaceError):
    """Transient: the CRM is down, slow, rate-limited. Retry later (outbox)."""


class WorkspaceAuthError(WorkspaceError):
    """Permanent until a person fixes it: bad webhook, revoked token."""


class WorkspacePermissionError(WorkspaceError):
    """The linked user may not do this in the CRM (ACCESS_DENIED)."""


class WorkspaceRejected(WorkspaceError):
    """The CRM refused this action for good (bad field value...)."""


class ItemNotFound(WorkspaceRejected):
    """The task or event a change was confirmed for is gone. The message
    (Russian, like the CRM's own) contains MARK; the dialog words it in the
    conversation's language."""

    MARK = "больше нет"


class ItemChanged(WorkspaceRejected):
    """The item changed in the CRM after the change was confirmed against it."""

    MARK = "изменилось после подтверждения"


# --- server and voice platforms --------------------------------------------
class PlatformError(SekretarError):
    """A request from a voice platform or an API client cannot be served."""


class BadRequest(PlatformError):
    """Malformed request: not JSON, wrong shape, missing or bad fields."""


class Unauthorized(PlatformError):
    """Missing or wrong credentials (API token, Google signature, page token)."""


class Forbidden(PlatformError):
    """The request is not for this server (another Alice skill id)."""


# --- voice -----------------------------------------------------------------
class VoiceError(SekretarError):
    """Speech recognition or audio failed."""


class ModelNotFound(VoiceError):
    """No Vosk model is configured or found."""


class AudioDeviceError(VoiceError):
    """No usable input device (microphone)."""


class AudioFormatError(VoiceError):
    """An audio file or stream cannot be decoded."""
