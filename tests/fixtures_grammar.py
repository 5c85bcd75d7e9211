"""Fixtures for the grammar tests."""
