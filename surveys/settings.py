"""Settings shared by every process (web, worker, action server), read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("YOUTHVOICE_INSTANCE", PROJECT_ROOT / "instance"))


@dataclass(frozen=True)
class Settings:
    """Core settings; web-only settings live in web.config."""

    database_url: str
    data_key: str | None
    council_name: str
    team_contact: str

    @classmethod
    def from_env(cls) -> Settings:
        default_db = f"sqlite:///{INSTANCE_DIR / 'youthvoice.db'}"
        return cls(
            database_url=os.environ.get("DATABASE_URL", default_db),
            data_key=os.environ.get("YOUTHVOICE_DATA_KEY"),
            council_name=os.environ.get("COUNCIL_NAME", "Stockton-on-Tees Council"),
            team_contact=os.environ.get(
                "TEAM_CONTACT", "the Youth Voice team on 01642 000000 (Mon-Fri 9am-5pm)"
            ),
        )
