"""SQLModel tables: the domain core shared by every process.

Phone numbers and other contact details are only ever stored encrypted (see surveys.privacy);
everything else refers to a participant by its pseudonymous key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Aware UTC 'now' (SQLModel's UTCDateTime stores and returns UTC on every database)."""
    return datetime.now(UTC)


class Channel(StrEnum):
    WEB = "web"
    SMS = "sms"


class QuestionType(StrEnum):
    SCALE = "scale"
    SINGLE = "single"
    MULTI = "multi"
    YESNO = "yesno"
    TEXT = "text"


class EnrolmentStatus(StrEnum):
    INVITED = "invited"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    SKIPPED = "skipped"
    NO_ANSWER = "no_answer"  # invalid twice: recorded as no answer and moved on


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MessageStatus(StrEnum):
    RECEIVED = "received"  # inbound, stored, not yet processed
    PROCESSED = "processed"
    FAILED = "failed"  # inbound: failed 3 times; outbound: refused or unknown (see error)
    QUEUED = "queued"  # outbound, waiting for the relay
    SENDING = "sending"  # outbound, handed to the provider; result not yet stored
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    SUPPRESSED = "suppressed"  # outbound, never sent: the young person opted out
    CANCELLED = "cancelled"  # outbound, never sent: staff cancelled its wave


class MessageKind(StrEnum):
    TEXT = "text"  # inbound text, or a bot reply
    EVENT = "event"  # inbound, made by the platform (e.g. the opening /greet)
    NOTICE = "notice"  # outbound, said by the platform itself
    WAVE = "wave"  # outbound, first message of a wave (quiet hours apply)
    REMINDER = "reminder"  # outbound, reminder to a non-finisher (quiet hours apply)


class Participant(SQLModel, table=True):
    """A young person, known by a pseudonymous key; contact details only encrypted."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=64)
    channel: str = Field(max_length=8)
    web_token_hash: str | None = Field(default=None, unique=True, max_length=64)
    phone_hash: str | None = Field(default=None, unique=True, max_length=64)
    contact_encrypted: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    opted_out_at: datetime | None = None
    consent_source: str | None = Field(default=None, max_length=120)  # lawful basis / who consented
    consent_at: datetime | None = None
    lease_until: datetime | None = None  # who is processing this participant's inbox
    created_at: datetime = Field(default_factory=utcnow)


class Survey(SQLModel, table=True):
    """A survey definition loaded from YAML; questions are its rows in `question`."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=64)
    title: str = Field(max_length=200)
    description: str = ""
    audience: str = ""
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    intro_web: str = ""
    intro_sms: str = ""
    outro_web: str = ""
    outro_sms: str = ""
    source_hash: str = Field(default="", max_length=64)
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class Question(SQLModel, table=True):
    """One question of a survey; `spec` holds options, scale, skip conditions."""

    __table_args__ = (UniqueConstraint("survey_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True)
    position: int
    key: str = Field(max_length=64)
    type: str = Field(max_length=16)
    text: str
    sms: str = ""
    help: str = ""
    optional: bool = False
    active: bool = True  # False once removed from the YAML but kept for stored answers
    spec: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Consultation(SQLModel, table=True):
    """A council consultation: one survey put to an audience between two dates."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=64)
    title: str = Field(max_length=200)
    survey_id: int = Field(foreign_key="survey.id")
    status: str = Field(default="open", max_length=16)  # draft | open | closed
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    description: str = Field(default="", sa_column_kwargs={"server_default": ""})
    audience: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    group_id: int | None = Field(default=None, foreign_key="audiencegroup.id")  # target group


class Enrolment(SQLModel, table=True):
    """A participant's progress through one consultation's survey."""

    __table_args__ = (UniqueConstraint("participant_id", "consultation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True)
    status: str = Field(default=EnrolmentStatus.INVITED, max_length=16)
    position: int = 0  # position of the question being asked
    invalid_attempts: int = 0
    # Set after a safeguarding disclosure: the next message re-asks the current question
    # instead of being taken as its answer (the young person has not seen it yet).
    paused: bool = False
    last_message_id: int | None = None  # the inbound message last handled (replays are ignored)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class Answer(SQLModel, table=True):
    """One stored answer: the parsed value and exactly what was typed."""

    __table_args__ = (UniqueConstraint("enrolment_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    status: str = Field(max_length=16)
    value: Any = Field(default=None, sa_column=Column(JSON))
    raw_text: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Message(SQLModel, table=True):
    """Every inbound and outbound message, stored before it is answered or sent."""

    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    direction: str = Field(max_length=4)
    channel: str = Field(max_length=8)
    body: str
    buttons: list[dict[str, str]] = Field(default_factory=list, sa_column=Column(JSON))
    extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    kind: str = Field(default="text", max_length=16)  # see MessageKind
    dedupe_key: str | None = Field(default=None, unique=True, max_length=80)  # e.g. wave:3:p:17
    status: str = Field(max_length=16, index=True)
    external_id: str | None = Field(default=None, max_length=64)
    reply_to_id: int | None = Field(default=None, foreign_key="message.id")
    attempts: int = 0
    next_attempt_at: datetime | None = None
    error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime | None = None
    # Inbound: when the urgent (safeguarding) screen saw it, which is at once, even while
    # earlier messages wait for the bot.
    screened_at: datetime | None = None


class Wave(SQLModel, table=True):
    """A scheduled send of a consultation's first message to an audience, with reminders."""

    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True)
    name: str = Field(max_length=200)
    start_at: datetime
    reminder_after_days: int | None = None
    # scheduled | sending | paused | sent | cancelled
    status: str = Field(default="scheduled", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    group_id: int | None = Field(default=None, foreign_key="audiencegroup.id")


class WaveRecipient(SQLModel, table=True):
    """Who a wave goes to (their enrolment is created when the wave is dispatched)."""

    __table_args__ = (UniqueConstraint("wave_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    wave_id: int = Field(foreign_key="wave.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)


class User(SQLModel, table=True):
    """A console user (staff)."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="viewer", max_length=32)  # see web.permissions.Role
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    # Rotated to end every session of this user (deactivation, new password, 2FA reset).
    session_token: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    totp_secret: bytes | None = Field(default=None, sa_column=Column(LargeBinary))  # encrypted
    totp_last_step: int | None = None  # the last accepted TOTP time step: no code works twice
    password_changed_at: datetime | None = None
    invite_token_hash: str | None = Field(default=None, unique=True, max_length=64)
    invite_expires_at: datetime | None = None


class AudienceGroup(SQLModel, table=True):
    """A named group of young people, e.g. the Youth Assembly or a school's council."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    description: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class GroupMember(SQLModel, table=True):
    """A participant's membership of a group."""

    __table_args__ = (UniqueConstraint("group_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="audiencegroup.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    added_at: datetime = Field(default_factory=utcnow)


class AlertStatus(StrEnum):
    OPEN = "open"  # raised; nobody has acknowledged it yet
    ACKNOWLEDGED = "acknowledged"  # a named person is dealing with it
    CLOSED = "closed"  # an outcome is recorded


class AlertOutcome(StrEnum):
    REFERRED_SOCIAL_CARE = "referred_social_care"
    REFERRED_POLICE = "referred_police"
    CONTACTED_CHILD_WORKER = "contacted_child_worker"  # social worker, IRO or school DSL
    ADVICE_ONLY = "advice_only"
    NO_CONCERN = "no_concern"  # read by a person: not a safeguarding matter


class SafeguardingAlert(SQLModel, table=True):
    """A possible disclosure found in something a young person wrote, for a person to act on."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id", unique=True)
    consultation_id: int | None = Field(default=None, foreign_key="consultation.id")
    channel: str = Field(max_length=8)
    category: str = Field(max_length=32)
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    detector_version: str = Field(default="", max_length=32)
    # True: the child was signposted and the message kept from the bot; False: raised for a
    # person to review (a less confident classifier score) while the conversation went on.
    responded: bool = True
    status: str = Field(default=AlertStatus.OPEN, max_length=16, index=True)
    out_of_hours: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    ack_due_at: datetime
    escalated_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by_id: int | None = Field(default=None, foreign_key="user.id")
    closed_at: datetime | None = None
    closed_by_id: int | None = Field(default=None, foreign_key="user.id")
    outcome: str | None = Field(default=None, max_length=32)


class AlertNote(SQLModel, table=True):
    """A note a safeguarding lead or duty worker adds to an alert (append-only)."""

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="safeguardingalert.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """An email or text to a named safeguarding contact, kept until it has been sent."""

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="safeguardingalert.id", index=True)
    purpose: str = Field(max_length=16)  # alert | escalation
    channel: str = Field(max_length=8)  # email | sms
    recipient: str = Field(max_length=254)  # a staff address or number from configuration
    status: str = Field(default="queued", max_length=16, index=True)  # queued|sent|failed
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """One append-only audit record; each row's hash covers the previous row's hash."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")  # None: the system
    action: str = Field(max_length=64, index=True)
    target: str = Field(default="", max_length=64)  # e.g. "alert:12"
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    prev_hash: str = Field(max_length=64, unique=True)  # unique: the chain cannot fork
    hash: str = Field(max_length=64, unique=True)


class TagStatus(StrEnum):
    SUGGESTED = "suggested"  # by the model, not yet looked at
    ACCEPTED = "accepted"  # an officer agreed
    REMOVED = "removed"  # an officer disagreed (kept: it is what the model gets wrong)
    ADDED = "added"  # an officer added a tag the model missed


class AnswerAnalysis(SQLModel, table=True):
    """What the theme pipeline made of one free-text answer (one row per answer)."""

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", unique=True)
    valence: str = Field(max_length=8)
    suggestion: bool = False
    redacted: str = ""  # the answer without personal data: the only text quoted in reports
    model_version: str = Field(max_length=16)
    analysed_at: datetime = Field(default_factory=utcnow)


class AnswerTag(SQLModel, table=True):
    """One theme or sub-theme tag on an answer, by the model or an officer, with its review."""

    __table_args__ = (UniqueConstraint("answer_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", index=True)
    code: str = Field(max_length=64)  # "TRANS" or "TRANS.cost"
    status: str = Field(default=TagStatus.SUGGESTED, max_length=12)
    model_said: bool = True  # False when only an officer put it there
    score: float | None = None
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
