"""`sekretar` subcommands: outbox (placeholder until its part lands)."""


def register(sub) -> None:
    pass
