"""The chat API: clear 4xx errors for bad input, and nothing lost while the bot is down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from surveys.db import engine_for
from surveys.messages import getting_ready_text, saved_later_text
from surveys.models import Direction, Message, MessageStatus, utcnow
from tests.support.chat import YoungPerson
from web.bot_client import BotClient
from web.gateway import Gateway


def _count(db) -> int:
    db.expire_all()
    return db.exec(select(func.count(Message.id))).one()


@pytest.fixture
def offline(app_without_bot):
    return app_without_bot.test_client()


@pytest.fixture
def conversation(offline) -> str:
    return offline.post("/chat/api/conversations", json={}).get_json()["conversation"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"text": ""}, 400, "empty"),
        ({"text": "   \n "}, 400, "empty"),
        ({"text": "x" * 5000}, 413, "too long"),
        ({"text": "hi\x00there"}, 400, "control"),
        ({"text": "bell\x07"}, 400, "control"),
        ({"text": 42}, 400, "string"),
        ({}, 400, "string"),
    ],
)
def test_bad_messages_get_a_clear_error_and_store_nothing(
    offline, conversation, db, body, status, words
):
    before = _count(db)
    resp = offline.post("/chat/api/messages", json={"conversation": conversation, **body})
    assert resp.status_code == status
    assert words in resp.get_json()["error"]
    assert _count(db) == before


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"[1, 2]", b'"just a string"', b"\xff\xfe\x00binary"],
)
def test_invalid_json_is_a_400(offline, raw):
    resp = offline.post("/chat/api/messages", data=raw, content_type="application/json")
    assert resp.status_code == 400
    assert "JSON" in resp.get_json()["error"]


@pytest.mark.parametrize("conv", ["nope", "", "x" * 500, None, 7])
def test_unknown_conversation(offline, conv):
    resp = offline.post("/chat/api/messages", json={"conversation": conv, "text": "hi"})
    assert resp.status_code in (400, 404)
    assert resp.get_json()["error"]


def test_unknown_conversation_when_polling(offline):
    assert offline.get("/chat/api/messages", headers={"X-Conversation": "nope"}).status_code == 404
    assert offline.get("/chat/api/messages").status_code == 400


@pytest.mark.parametrize("after", [2**31, 2**47, -5])
def test_polling_after_any_id_is_safe(offline, conversation, after):
    """Ids beyond the database's 32-bit integers (PostgreSQL refuses them) or below zero."""
    resp = offline.get(
        f"/chat/api/messages?after={after}", headers={"X-Conversation": conversation}
    )
    assert resp.status_code == 200
    greeting = bool(resp.get_json()["messages"])
    assert greeting == (after < 0)  # only a negative id still shows the greeting


def test_unknown_consultation_is_404(offline):
    resp = offline.post("/chat/api/conversations", json={"consultation": "no-such-thing"})
    assert resp.status_code == 404
    assert "consultation" in resp.get_json()["error"]


def test_long_emoji_and_multiline_messages_are_kept_whole(offline, conversation, db):
    text = ("I feel 😀 about my area\n" * 200)[:4999].strip()
    resp = offline.post("/chat/api/messages", json={"conversation": conversation, "text": text})
    assert resp.status_code == 200
    db.expire_all()
    stored = db.exec(select(Message).where(Message.body == text)).one()
    assert stored.direction == Direction.IN


def test_bot_down_then_back_nothing_is_lost(app_without_bot, rasa, db, prepared_db):
    yp = YoungPerson(app_without_bot.test_client())
    yp.start()
    assert yp.pending and yp.last[0]["text"] == getting_ready_text("web")
    yp.say("/start_survey")
    assert yp.pending and yp.last[0]["text"] == saved_later_text("web")
    yp.say("b")
    participant = yp.participant(db)
    waiting = db.exec(
        select(Message)
        .where(Message.participant_id == participant.id, Message.status == MessageStatus.RECEIVED)
        .order_by(Message.id)
    ).all()
    assert [m.body for m in waiting] == ["/greet", "/start_survey", "b"]

    # The worker's retry job runs once Rasa is back (its clock past the backoff).
    later = utcnow() + timedelta(minutes=10)
    gateway = Gateway(engine_for(prepared_db), BotClient(rasa.url, rasa.token), lambda: later)
    assert gateway.process_due() >= 1

    resp = yp.client.get("/chat/api/messages", headers={"X-Conversation": yp.conversation})
    data = resp.get_json()
    assert data["pending"] is False
    bot_texts = [m["text"] for m in data["messages"] if m["from"] == "bot"]
    assert any("Question 2 of 19" in t for t in bot_texts)  # "b" was answered, in order
    assert yp.answers(db)["q1_age"].value == "13-14"
