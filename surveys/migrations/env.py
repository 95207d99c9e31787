"""Alembic environment: migrations for the Youth Voice tables (SQLModel metadata)."""

from alembic import context
from sqlmodel import SQLModel

import surveys.models  # noqa: F401  (registers the tables)
from surveys.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    """Leave APScheduler's own job table alone."""
    return not (type_ == "table" and name == "apscheduler_jobs")


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    connectable = config.attributes.get("connection") or make_engine(url).connect()
    if connectable.dialect.name == "sqlite":
        # Batch mode rebuilds tables (copy, drop, rename); with foreign keys on, dropping a
        # table that has rows referring to it fails. Outside a transaction, as SQLite needs.
        connectable.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connectable.commit()
    context.configure(
        connection=connectable,
        target_metadata=target_metadata,
        render_as_batch=connectable.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    if "connection" not in config.attributes:
        connectable.close()


run_migrations()
