"""Shared test configuration. Each part keeps its fixtures in its own
module (tests/fixtures_<part>.py), listed here."""
pytest_plugins = [
    "tests.fixtures_grammar",
    "tests.fixtures_store",
    "tests.fixtures_dialog",
    "tests.fixtures_bitrix",
    "tests.fixtures_voice",
    "tests.fixtures_server",
]
