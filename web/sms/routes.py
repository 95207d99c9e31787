"""Twilio webhooks: POST /sms/inbound and POST /sms/status, both signature-checked.

The inbound webhook only stores the message (idempotent on MessageSid) and answers with empty
TwiML; the worker processes it and replies through the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from functools import wraps

from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

from surveys.models import Direction, Message, MessageStatus, Participant
from surveys.participants import (
    NoOpenConsultation,
    enrol,
    open_consultation,
    participant_for_phone,
    set_opted_out,
)
from surveys.phones import InvalidPhoneNumber, to_e164
from web.sms.settings import SmsSettings
from web.sms.status import apply_status

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
OPTED_OUT_ERROR = "21610"


def settings() -> SmsSettings:
    return current_app.extensions["sms_settings"]


def twilio_signed(view: Callable) -> Callable:
    """403 unless X-Twilio-Signature matches the public URL Twilio called (not request.url,
    which is wrong behind a reverse proxy)."""

    @wraps(view)
    def checked(*args, **kwargs):  # noqa: ANN002, ANN003
        s = settings()
        path = request.full_path if request.query_string else request.path
        signature = request.headers.get("X-Twilio-Signature", "")
        valid = bool(s.auth_token and signature) and RequestValidator(s.auth_token).validate(
            s.url_for(path), request.form, signature
        )
        if not valid:
            log.warning("refused a webhook with a missing or wrong signature on %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return checked


def _twiml() -> Response:
    return Response(EMPTY_TWIML, mimetype="text/xml")


def _sender(session: Session, e164: str) -> Participant:
    """The participant for this number; a new one is enrolled in the SMS consultation."""
    data_key = current_app.config["CORE"].data_key
    participant = participant_for_phone(session, data_key, e164, create=False)
    if participant is None:
        participant = participant_for_phone(session, data_key, e164)
        with suppress(NoOpenConsultation):  # if nothing is open, the bot says so
            enrol(session, participant, open_consultation(session, settings().consultation))
    return participant


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid")
    if not sid or not form.get("From"):
        abort(400, "MessageSid and From are required")
    try:
        e164 = to_e164(form["From"])
    except InvalidPhoneNumber:
        log.warning("inbound %s from a number that cannot be texted back; not stored", sid)
        return _twiml()
    engine = current_app.extensions["db_engine"]
    for attempt in (1, 2):  # a second try covers two first messages racing to create a person
        with Session(engine) as s:
            try:
                participant = _sender(s, e164)
                s.add(
                    Message(
                        participant_id=participant.id,
                        direction=Direction.IN,
                        channel="sms",
                        body=form.get("Body", "").replace("\x00", ""),  # PostgreSQL text
                        status=MessageStatus.RECEIVED,
                        external_id=sid,
                    )
                )
                s.commit()
                log.info("sms inbound stored sid=%s participant=%s", sid, participant.key)
                break
            except IntegrityError:
                s.rollback()
                if s.exec(
                    select(Message.id).where(Message.channel == "sms", Message.external_id == sid)
                ).first():
                    log.info("sms inbound sid=%s is a retry; already stored", sid)
                    break
                if attempt == 2:
                    raise
    return _twiml()


@bp.post("/status")
@twilio_signed
def status() -> tuple[str, int]:
    form = request.form
    sid, new_status = form.get("MessageSid"), form.get("MessageStatus", "")
    if not sid:
        abort(400, "MessageSid is required")
    with Session(current_app.extensions["db_engine"]) as s:
        msg = s.exec(
            select(Message).where(
                Message.channel == "sms",
                Message.external_id == sid,
                Message.direction == Direction.OUT,
            )
        ).first()
        if msg is not None:
            apply_status(msg, new_status, form.get("ErrorCode"))
            if form.get("ErrorCode") == OPTED_OUT_ERROR:
                set_opted_out(s, s.get(Participant, msg.participant_id), True)
            s.add(msg)
            s.commit()
    return "", 204
