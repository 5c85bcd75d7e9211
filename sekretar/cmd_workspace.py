"""`sekretar` subcommands: workspace (placeholder until its part lands)."""


def register(sub) -> None:
    pass
