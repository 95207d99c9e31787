"""Migrations upgrade a database that already holds data, without losing any of it."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text

from surveys.db import normalise_url
from surveys.migrate import upgrade
from tests.support.postgres import postgres_server


def _fresh_url(tmp_path) -> tuple[str, object]:
    """A brand-new empty database of the suite's kind (and a clean-up callable)."""
    if os.environ.get("YV_TEST_DB", "sqlite") == "postgresql":
        server = postgres_server(dbname=f"migrate_{uuid.uuid4().hex[:8]}")
        return server.__enter__(), lambda: server.__exit__(None, None, None)
    return f"sqlite:///{tmp_path / 'old.db'}", lambda: None


def test_upgrade_from_the_first_release_keeps_every_row(tmp_path):
    url, cleanup = _fresh_url(tmp_path)
    try:
        upgrade(url, "0001")
        engine = create_engine(normalise_url(url))
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO participant (id, key, channel, created_at) "
                    "VALUES (1, 'p_old', 'web', '2026-11-01 10:00:00+00:00')"
                )
            )
            for mid, direction, reply_to in ((1, "in", None), (2, "out", 1), (3, "in", None)):
                conn.execute(
                    text(
                        "INSERT INTO message (id, participant_id, direction, channel, body, "
                        "buttons, extra, kind, status, reply_to_id, attempts, created_at) "
                        "VALUES (:id, 1, "
                        ":d, 'web', :body, '[]', '{}', 'text', 'processed', :r, 0, "
                        "'2026-11-01 10:00:00+00:00')"
                    ),
                    {"id": mid, "d": direction, "body": f"message {mid}", "r": reply_to},
                )
        upgrade(url)  # to head
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, body, reply_to_id, dedupe_key FROM message ORDER BY id")
            ).all()
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
            (1, "message 1", None, None),
            (2, "message 2", 1, None),
            (3, "message 3", None, None),
        ]
        assert version == "0005"
        engine.dispose()
    finally:
        cleanup()
