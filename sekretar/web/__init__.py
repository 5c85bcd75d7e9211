"""The web layer (top of the import graph): the Flask app factory and what
only the server needs (turn guard, metrics, the code page, the drainer).

    gunicorn 'sekretar.web:create_app()'     # installed
    gunicorn 'server:create_app()'           # from a checkout (server.py re-exports this)
"""
from sekretar.web.app import create_app

__all__ = ["create_app"]
