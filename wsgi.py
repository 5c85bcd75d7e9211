"""WSGI entry point for servers that want a module-level `application`
(uwsgi, mod_wsgi): `gunicorn wsgi:application` equals 'server:create_app()'."""
import os

from sekretar.web import create_app

os.environ.setdefault("SEKRETAR_ENV", "production")  # a WSGI server here is production (docs/security.md)
application = create_app()
