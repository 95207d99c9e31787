"""A throwaway PostgreSQL server for the suite (Debian's postgresql package, on loopback)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from web.processes import free_port


def _bindir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server not installed: run scripts/install-system-deps.sh")
    return os.path.dirname(found[-1])


@contextmanager
def postgres_server(dbname: str = "youthvoice_test") -> Iterator[str]:
    """Start a private cluster in a temp dir; yield a SQLAlchemy URL; stop and delete it."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="yv-pg-"))
    data, port = root / "data", free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True)  # noqa: E731
    try:
        run(f"{bindir}/initdb", "-D", str(data), "-U", "yv", "--auth=trust", "-E", "UTF8")
        run(
            f"{bindir}/pg_ctl",
            "-D",
            str(data),
            "-l",
            str(root / "server.log"),
            "-w",
            "start",
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
        )
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=yv dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        yield f"postgresql+psycopg://yv@127.0.0.1:{port}/{dbname}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)
