"""Fixtures for the voice tests."""
