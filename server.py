"""The web server's entry point in a checkout: `gunicorn 'server:create_app()'`.

The Flask app factory lives in the package (`sekretar.web.app`) so that an
installed server needs no checkout (`gunicorn 'sekretar.web:create_app()'`);
this module only re-exports it under the name the design card gives.
"""
from sekretar.web import create_app

__all__ = ["create_app"]
