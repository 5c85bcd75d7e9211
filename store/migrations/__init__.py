"""Versioned schema of the state store: NNN_name.sql, applied in order once."""
