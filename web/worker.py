"""The worker: one APScheduler with a persistent job store: inbox processor and SMS relay."""

from __future__ import annotations

import logging
import os
import signal
from datetime import timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

from surveys.db import engine_for, normalise_url
from surveys.settings import Settings
from web.config import WebConfig
from web.gateway import Gateway
from web.messaging import build_gateway
from web.safeguarding.notify import Notifier
from web.safeguarding.settings import SafeguardingSettings
from web.sms.client import make_client
from web.sms.relay import Relay
from web.sms.settings import SmsSettings
from web.waves import WaveJobs

log = logging.getLogger(__name__)
_gateway: Gateway | None = None
_relay: Relay | None = None
_waves: WaveJobs | None = None
_notifier: Notifier | None = None
INBOX_INTERVAL_SECONDS = 1
OUTBOX_INTERVAL_SECONDS = 1
SAFEGUARDING_INTERVAL_SECONDS = 10
THEMES_INTERVAL_SECONDS = 30


def process_inbox() -> None:
    """Process stored inbound messages: new SMS, and anything waiting for the bot to return."""
    tried = _gateway.process_due() if _gateway else 0
    if tried:
        log.info("inbox: processed %s participant(s)", tried)


def relay_outbox() -> None:
    """Send queued SMS through Twilio (and re-check any send interrupted long ago)."""
    if _relay:
        _relay.recover_stale()
        _relay.run_once()


def run_wave_jobs() -> None:
    """Queue due waves and reminders; close consultations past their closing date."""
    if _waves:
        _waves.run()


def run_safeguarding() -> None:
    """Escalate alerts nobody acknowledged in time; send queued emails and texts to staff."""
    if _notifier:
        _notifier.run_once()


def tag_answers() -> None:
    """Tag new free-text answers with themes (and re-tag them after the model is retrained)."""
    from analysis.themes import default_analyser
    from surveys.db import session_scope
    from surveys.theme_tags import tag_pending

    analyser = default_analyser()
    if analyser is None:
        return  # not built yet: `youthvoice analyse train` (setup runs it)
    with session_scope() as session:
        done = tag_pending(session, analyser)
    if done:
        log.info("themes: tagged %s answer(s)", done)


def build_notifier(core: Settings) -> Notifier:
    settings = SafeguardingSettings.from_env()
    if not settings.has_contacts:
        log.error("no safeguarding contacts set (SAFEGUARDING_LEAD_EMAILS): alerts wait unseen")
    sms = SmsSettings.from_env()
    send = None
    if sms.configured:
        client = make_client(sms)

        def send(to: str, body: str) -> None:
            client.messages.create(to=to, body=body, **sms.sender())

    return Notifier(engine_for(core.database_url), settings, send)


def build_relay(core: Settings) -> Relay | None:
    sms = SmsSettings.from_env()
    if not sms.configured:
        log.warning("SMS is not configured (TWILIO_* unset): queued texts wait unsent")
        return None
    return Relay(engine_for(core.database_url), sms, make_client(sms), core.data_key)


def build_scheduler() -> BlockingScheduler:
    global _gateway, _relay, _waves, _notifier
    core, web = Settings.from_env(), WebConfig.from_env()
    _gateway = build_gateway(core, web.RASA_URL, web.RASA_TOKEN, web.RASA_TIMEOUT)
    _waves = WaveJobs(engine_for(core.database_url), core)
    _relay = build_relay(core)
    _notifier = build_notifier(core)
    # This is the only relay: anything still `sending` was interrupted by a crash.
    if _relay and (stale := _relay.recover_stale(older_than=timedelta(0))):
        log.warning("%s interrupted text(s) checked with Twilio", stale)
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
    scheduler.add_job(
        run_wave_jobs,
        "interval",
        seconds=float(os.environ.get("WAVE_INTERVAL_SECONDS", "15")),
        id="wave-jobs",
        replace_existing=True,
    )
    scheduler.add_job(
        relay_outbox,
        "interval",
        seconds=OUTBOX_INTERVAL_SECONDS,
        id="relay-outbox",
        replace_existing=True,
    )
    scheduler.add_job(
        run_safeguarding,
        "interval",
        seconds=SAFEGUARDING_INTERVAL_SECONDS,
        id="safeguarding",
        replace_existing=True,
    )
    scheduler.add_job(
        tag_answers,
        "interval",
        seconds=float(os.environ.get("THEMES_INTERVAL_SECONDS", THEMES_INTERVAL_SECONDS)),
        id="themes",
        replace_existing=True,
    )
    return scheduler


def run() -> None:
    scheduler = build_scheduler()
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    log.info("worker started")
    scheduler.start()
