"""Versioned schema of the local workspace: NNN_name.sql, applied in order once."""
