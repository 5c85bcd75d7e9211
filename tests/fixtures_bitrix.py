"""Fixtures for the bitrix tests."""
