"""Language and demo data of the integrations (read by path, shipped as package data)."""
