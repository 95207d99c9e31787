"""WSGI entry point: `gunicorn web.wsgi:app`."""

from web.cli import load_instance_env

load_instance_env()

from web import create_app  # noqa: E402

app = create_app()
