"""Chat routes: GET /chat, POST /chat/api/conversations, POST and GET /chat/api/messages."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from sqlmodel import select
from werkzeug.exceptions import NotFound

from surveys.messages import getting_ready_text, saved_later_text
from surveys.models import Direction, Message, MessageKind, MessageStatus, Participant
from surveys.participants import (
    NoOpenConsultation,
    open_consultation,
    participant_for_token,
    start_web_conversation,
)
from web import MAX_ROW_ID
from web.chat.validation import conversation_id, json_body, message_text
from web.database import db_session

bp = Blueprint("chat", __name__, url_prefix="/chat")

GREETING_EVENT = "/greet"


def _as_json(msg: Message) -> dict:
    d = {"id": msg.id, "text": msg.body, "buttons": msg.buttons or []}
    if (msg.extra or {}).get("select"):
        d["select"] = msg.extra["select"]
    return d


def _participant(token: str) -> Participant:
    with db_session() as s:
        p = participant_for_token(s, token)
    if p is None:
        raise NotFound("Unknown conversation.")
    return p


def _converse(participant: Participant, text: str, kind: str = "text"):
    """Store the message, process it, and answer with its replies (or a 'saved' notice)."""
    gateway = current_app.extensions["gateway"]
    msg_id = gateway.receive(participant.id, "web", text, kind)
    gateway.process(participant.id, wait_for=msg_id)
    with db_session() as s:
        msg = s.get(Message, msg_id)
        replies = list(
            s.exec(select(Message).where(Message.reply_to_id == msg_id).order_by(Message.id))
        )
    pending = msg.status == MessageStatus.RECEIVED
    if pending and not replies:
        notice = getting_ready_text("web") if kind == MessageKind.EVENT else saved_later_text("web")
        replies = [gateway.store_notice(participant.id, "web", notice, msg_id)]
    return {"messages": [_as_json(r) for r in replies], "pending": pending}


@bp.get("")
@bp.get("/<slug>")
def page(slug: str | None = None):
    return render_template("chat.html", consultation=slug or "")


@bp.post("/api/conversations")
def new_conversation():
    data = request.get_json(silent=True) or {}
    slug = data.get("consultation") if isinstance(data, dict) else None
    if slug is not None and not isinstance(slug, str):
        slug = None
    with db_session() as s:
        try:
            consultation = open_consultation(s, slug or current_app.config["DEFAULT_CONSULTATION"])
        except NoOpenConsultation:
            raise NotFound("There is no open consultation with that name.") from None
        token, participant = start_web_conversation(s, consultation)
        s.commit()
    body = _converse(participant, GREETING_EVENT, kind=MessageKind.EVENT)
    return jsonify(conversation=token, **body), 201


@bp.post("/api/messages")
def post_message():
    data = json_body(request)
    participant = _participant(conversation_id(data.get("conversation")))
    text = message_text(data, current_app.config["MAX_MESSAGE_CHARS"])
    return jsonify(_converse(participant, text))


@bp.get("/api/messages")
def list_messages():
    """The conversation so far (or since `after`): used to poll and to restore a page.

    The conversation id comes in the X-Conversation header, never the URL, so it stays out of
    access logs and browser history.
    """
    participant = _participant(conversation_id(request.headers.get("X-Conversation")))
    # A message id is a 32-bit database integer: beyond that there is nothing newer.
    after = min(max(request.args.get("after", default=0, type=int), 0), MAX_ROW_ID)
    with db_session() as s:
        rows = list(
            s.exec(
                select(Message)
                .where(Message.participant_id == participant.id, Message.id > after)
                .where(Message.kind != MessageKind.EVENT)
                .order_by(Message.id)
            )
        )
        pending = (
            s.exec(
                select(Message.id).where(
                    Message.participant_id == participant.id,
                    Message.direction == Direction.IN,
                    Message.status == MessageStatus.RECEIVED,
                )
            ).first()
            is not None
        )
    return jsonify(
        messages=[
            {**_as_json(m), "from": "bot" if m.direction == Direction.OUT else "you"} for m in rows
        ],
        pending=pending,
    )
