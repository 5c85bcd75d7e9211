"""Fixtures for the dialog tests."""
