"""`sekretar` subcommands: voice (placeholder until its part lands)."""


def register(sub) -> None:
    pass
