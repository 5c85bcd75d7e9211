"""Language data of this package (read with importlib.resources)."""
