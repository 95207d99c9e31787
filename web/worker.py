"""The worker: one APScheduler with a persistent job store, running the inbox processor."""

from __future__ import annotations

import logging
import signal

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

from surveys.db import engine_for, normalise_url
from surveys.settings import Settings
from web.bot_client import BotClient
from web.config import WebConfig
from web.gateway import Gateway

log = logging.getLogger(__name__)
_gateway: Gateway | None = None
INBOX_INTERVAL_SECONDS = 5


def process_inbox() -> None:
    """Retry inbound messages that could not be answered (e.g. while Rasa was down)."""
    tried = _gateway.process_due() if _gateway else 0
    if tried:
        log.info("inbox: retried %s participant(s)", tried)


def build_scheduler() -> BlockingScheduler:
    global _gateway
    core, web = Settings.from_env(), WebConfig.from_env()
    _gateway = Gateway(
        engine_for(core.database_url), BotClient(web.RASA_URL, web.RASA_TOKEN, web.RASA_TIMEOUT)
    )
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=normalise_url(core.database_url))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone="Europe/London",
    )
    scheduler.add_job(
        process_inbox,
        "interval",
        seconds=INBOX_INTERVAL_SECONDS,
        id="process-inbox",
        replace_existing=True,
    )
    return scheduler


def run() -> None:
    scheduler = build_scheduler()
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("worker started")
    scheduler.start()
