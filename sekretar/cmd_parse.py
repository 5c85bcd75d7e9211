"""`sekretar` subcommands: parse (placeholder until its part lands)."""


def register(sub) -> None:
    pass
