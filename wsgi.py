"""WSGI entry point for servers that want a module-level `application`
(uwsgi, mod_wsgi): `gunicorn wsgi:application` equals 'server:create_app()'."""
from sekretar.web import create_app

application = create_app()
