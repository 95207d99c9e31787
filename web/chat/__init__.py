"""Web chat: the page young people use, and its JSON API."""

from web.chat.routes import bp  # noqa: F401
