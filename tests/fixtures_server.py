"""Fixtures for the server tests."""
