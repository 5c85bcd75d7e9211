"""`sekretar` subcommands: serve (placeholder until its part lands)."""


def register(sub) -> None:
    pass
