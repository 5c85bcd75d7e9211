"""`sekretar` subcommands: chat (placeholder until its part lands)."""


def register(sub) -> None:
    pass
