"""No template anywhere in the bot or the platform promises a child secrecy (R23)."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from surveys import messages
from surveys.definitions import DEFINITIONS_DIR, DefinitionError, load_definition
from surveys.models import Notification, SafeguardingAlert
from surveys.secrecy import promises_secrecy
from surveys.settings import Settings
from web.safeguarding.notify import email_for, sms_for
from web.safeguarding.office_hours import OfficeHours
from web.safeguarding.replies import signposting_text
from web.safeguarding.settings import SafeguardingSettings
from web.sms.screen import help_text as sms_help_text

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(
    database_url="sqlite://", data_key=None, council_name="Test Council", team_contact="the team"
)


@pytest.mark.parametrize(
    "text",
    [
        "Don't worry, this is a secret between us.",
        "I won't tell anyone what you say.",
        "Everything you tell me is completely confidential.",
        "This stays between you and me.",
        "No one will ever know.",
        "Your answers are confidential.",
    ],
)
def test_the_checker_catches_promises(text):
    assert promises_secrecy(text)


@pytest.mark.parametrize(
    "text",
    [
        "We can't keep this just between us, because we want you to be safe.",
        "It is not confidential if we think you might be at risk.",
        "The Youth Voice team reads answers.",
    ],
)
def test_the_checker_lets_honest_wording_through(text):
    assert promises_secrecy(text) == []


def _message_templates() -> list[str]:
    texts = []
    for _name, fn in inspect.getmembers(messages, inspect.isfunction):
        if fn.__module__ != messages.__name__:
            continue
        params = list(inspect.signature(fn).parameters)
        for channel in ("web", "sms"):
            args = {"settings": SETTINGS, "channel": channel}
            texts.append(fn(**{p: args[p] for p in params if p in args}))
    return texts


def _survey_texts() -> list[str]:
    texts = []
    for path in sorted(DEFINITIONS_DIR.glob("*.yaml")):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [d["intro"]["web"], d["intro"]["sms"], d["outro"]["web"], d["outro"]["sms"]]
        for q in d["questions"]:
            texts += [q.get("text", ""), q.get("sms", ""), q.get("help", "")]
    return texts


def _bot_responses() -> list[str]:
    domain = yaml.safe_load((ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    return [
        variant.get("text", "")
        for variants in (domain.get("responses") or {}).values()
        for variant in variants
    ]


def _safeguarding_texts() -> list[str]:
    office = OfficeHours.parse("Mon-Fri 09:00-17:00")
    times = [datetime(2026, 11, 25, 10, tzinfo=UTC), datetime(2026, 11, 28, 22, tzinfo=UTC)]
    texts = [signposting_text(c, office, t) for c in ("web", "sms") for t in times]
    sg = SafeguardingSettings.from_env()
    alert = SafeguardingAlert(
        id=1,
        participant_id=1,
        channel="sms",
        category="self_harm",
        created_at=times[0],
        ack_due_at=times[0],
    )
    for purpose in ("alert", "escalation"):
        n = Notification(alert_id=1, purpose=purpose, channel="email", recipient="a@b.c")
        texts += [email_for(n, alert, sg).get_content(), sms_for(n, alert, sg)]
    return texts


def _page_texts() -> list[str]:
    pages = [
        *(ROOT / "web" / "templates").rglob("*.html"),
        *(ROOT / "web" / "static").rglob("*.js"),
    ]
    return [re.sub(r"<[^>]+>|\{[{%#].*?[}%#]\}", " ", p.read_text(encoding="utf-8")) for p in pages]


@pytest.mark.parametrize(
    "source",
    [
        _message_templates,
        _survey_texts,
        _safeguarding_texts,
        _page_texts,
        lambda: [sms_help_text(SETTINGS)],
    ],
    ids=["bot messages", "surveys", "safeguarding", "web pages", "sms help"],
)
def test_no_template_promises_secrecy(source):
    texts = source()
    assert texts
    assert [t for t in texts if promises_secrecy(t)] == []


def test_the_rasa_domain_has_no_secrecy_promises():
    # The bot's words come from the survey engine; any response added to the domain is checked.
    assert [t for t in _bot_responses() if promises_secrecy(t)] == []


def test_a_survey_that_promises_secrecy_is_refused(tmp_path):
    text = (DEFINITIONS_DIR / "bmbf.yaml").read_text(encoding="utf-8")
    d = yaml.safe_load(text)
    bad = tmp_path / "bad.yaml"
    d["intro"]["web"] = "Hi! Everything you say is completely confidential."
    bad.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"bad\.yaml:\d+: .*secrecy"):
        load_definition(bad)
