"""The survey engine: which question comes next, what an answer means, what to say back.

The bot's custom actions are thin wrappers around this class; all survey state lives in the
database (Enrolment.position), so a reply hours or days later resumes where the young person was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from sqlmodel import Session, select

from surveys import messages as m
from surveys.models import (
    Answer,
    AnswerStatus,
    Consultation,
    Enrolment,
    EnrolmentStatus,
    Participant,
    Question,
    QuestionType,
    Survey,
    utcnow,
)
from surveys.parsing import normalise, parse_answer
from surveys.rendering import Reply, render_question
from surveys.settings import Settings

STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
HELP_WORDS = {"help", "info"}
SKIP_WORDS = {"skip", "pass"}
REPEAT_PHRASES = {"what", "wot", "wat", "huh", "eh", "pardon", "say that again", "come again"}
META_INTENTS = {"help", "repeat", "bot_challenge", "privacy_question", "talk_to_human"}
# Natural language is only trusted on a free-text question when the NLU is very sure and the
# message is short: a child's free-text answer must be stored as typed, not reinterpreted.
FREE_TEXT_META_CONFIDENCE = 0.8
FREE_TEXT_META_MAX_WORDS = 6
CHOICE_META_CONFIDENCE = 0.5

State = Literal["continue", "finished", "stopped"]


@dataclass
class Outcome:
    """What handling one reply produced: messages to send, and where the survey now stands."""

    replies: list[Reply] = field(default_factory=list)
    state: State = "continue"


def control_word(text: str) -> str:
    """The single keyword a message consists of, if it is one word (any case, spaces)."""
    t = normalise(text)
    return t if re.fullmatch(r"[a-z]+", t) else ""


class SurveyEngine:
    """Runs one participant's survey against the database session it is given."""

    def __init__(self, session: Session, settings: Settings | None = None):
        self.session = session
        self.settings = settings or Settings.from_env()

    # ------------------------------------------------------------ lookups
    def participant(self, key: str) -> Participant | None:
        return self.session.exec(select(Participant).where(Participant.key == key)).first()

    def enrolment(self, key: str) -> Enrolment | None:
        """The participant's current enrolment (the newest one)."""
        p = self.participant(key)
        if p is None:
            return None
        return self.session.exec(
            select(Enrolment).where(Enrolment.participant_id == p.id).order_by(Enrolment.id.desc())  # type: ignore[union-attr]
        ).first()

    def channel(self, key: str) -> str:
        p = self.participant(key)
        return p.channel if p else "web"

    def questions(self, survey_id: int) -> list[Question]:
        return list(
            self.session.exec(
                select(Question)
                .where(Question.survey_id == survey_id, Question.active == True)  # noqa: E712
                .order_by(Question.position)
            )
        )

    def survey_for(self, enr: Enrolment) -> Survey:
        consultation = self.session.get(Consultation, enr.consultation_id)
        return self.session.get(Survey, consultation.survey_id)

    def _answers(self, enr: Enrolment) -> dict[int, Answer]:
        rows = self.session.exec(select(Answer).where(Answer.enrolment_id == enr.id))
        return {a.question_id: a for a in rows}

    def _skipped_by_condition(self, q: Question, by_key: dict[str, Question], answers) -> bool:
        cond = (q.spec or {}).get("skip_if")
        if not cond:
            return False
        target = by_key.get(cond["question"])
        answer = answers.get(target.id) if target else None
        if answer is None or answer.value is None:
            return False
        values = answer.value if isinstance(answer.value, list) else [answer.value]
        return any(str(v) in cond["any_of"] for v in values)

    def current_question(self, enr: Enrolment) -> Question | None:
        """The question at the enrolment's position, passing over conditionally skipped ones."""
        qs = self.questions(self.survey_for(enr).id)
        by_key = {q.key: q for q in qs}
        answers = self._answers(enr)
        for q in qs:
            if q.position < enr.position:
                continue
            if self._skipped_by_condition(q, by_key, answers):
                continue
            if q.position != enr.position:
                enr.position = q.position
                self.session.add(enr)
            return q
        return None

    def _number(self, enr: Enrolment, q: Question) -> tuple[int, int]:
        qs = self.questions(self.survey_for(enr).id)
        return next(i for i, x in enumerate(qs, 1) if x.id == q.id), len(qs)

    # ------------------------------------------------------------ conversation steps
    def introduce(self, key: str) -> list[Reply]:
        """The opening message: what this is, that it is voluntary, who sees it, its limits."""
        enr = self.enrolment(key)
        channel = self.channel(key)
        if enr is None:
            return [Reply(m.no_survey_text(self.settings, channel))]
        if enr.status == EnrolmentStatus.IN_PROGRESS:
            return [Reply("Welcome back! Let's carry on where you left off.")]
        survey = self.survey_for(enr)
        if channel == "sms":
            return [Reply(survey.intro_sms)]
        return [
            Reply(
                survey.intro_web,
                [
                    {"title": "Start", "payload": "/start_survey"},
                    {"title": "Who sees my answers?", "payload": "/privacy_question"},
                    {"title": "Not now", "payload": "/deny"},
                ],
            )
        ]

    def begin(self, key: str, message_id: int | None = None) -> tuple[bool, list[Reply]]:
        """Start or resume the survey; False (with a reason) when there is nothing to ask.

        `message_id` is the message that asked to start: it is consumed here, so the same
        message is never also taken as the answer to the first question.
        """
        enr = self.enrolment(key)
        channel = self.channel(key)
        if enr is None:
            return False, [Reply(m.no_survey_text(self.settings, channel))]
        consultation = self.session.get(Consultation, enr.consultation_id)
        if consultation.status != "open":
            return False, [Reply(m.no_survey_text(self.settings, channel))]
        if enr.status == EnrolmentStatus.COMPLETED:
            return False, [Reply(m.already_done_text(channel))]
        if message_id is not None:
            enr.last_message_id = max(enr.last_message_id or 0, message_id)
            self.session.add(enr)
        if enr.status != EnrolmentStatus.IN_PROGRESS:
            enr.status = EnrolmentStatus.IN_PROGRESS
            enr.started_at = enr.started_at or utcnow()
            enr.updated_at = utcnow()
            self.session.add(enr)
        if self.current_question(enr) is None:
            self._complete(enr)
            return False, [Reply(m.already_done_text(channel))]
        return True, []

    def in_progress(self, key: str) -> bool:
        enr = self.enrolment(key)
        return enr is not None and enr.status == EnrolmentStatus.IN_PROGRESS

    def ask(self, key: str) -> list[Reply]:
        """The current question, spelled out in full after an invalid answer."""
        enr = self.enrolment(key)
        q = self.current_question(enr) if enr else None
        if q is None:
            return []
        number, total = self._number(enr, q)
        return [render_question(q, self.channel(key), number, total, enr.invalid_attempts > 0)]

    def handle(
        self,
        key: str,
        text: str,
        intent: str | None = None,
        confidence: float = 0.0,
        message_id: int | None = None,
    ) -> Outcome:
        """Handle one reply to the current question.

        `message_id` is the platform's inbound message id: a message handled once (for example
        retried after a crash) is not recorded again, and the current question is re-asked.
        """
        enr = self.enrolment(key)
        channel = self.channel(key)
        q = self.current_question(enr) if enr else None
        if enr is None or q is None:
            return Outcome(state="finished")
        if message_id is not None:
            if enr.last_message_id is not None and message_id <= enr.last_message_id:
                return Outcome()
            enr.last_message_id = message_id
            self.session.add(enr)
        payload = re.fullmatch(r"/([a-z_]+)", text.strip())
        if payload:  # a button's intent payload (e.g. a second tap on Start) is never an answer
            name = payload.group(1)
            if name in META_INTENTS:
                return self._meta_outcome(enr, q, name, text, channel)
            return Outcome()
        word = control_word(text)
        if word in STOP_WORDS:
            return self.stop(key)
        if word in HELP_WORDS:
            return Outcome([Reply(m.help_text(self.settings, channel, q.help))])
        if enr.paused:  # after a disclosure: show the question again rather than take an answer
            enr.paused = False
            self.session.add(enr)
            return Outcome([Reply(m.resume_text(channel))])
        if word in SKIP_WORDS or word in {
            normalise(w) for w in (q.spec or {}).get("done_words", [])
        }:
            return self._record_and_advance(enr, q, AnswerStatus.SKIPPED, None, text)
        is_text = q.type == QuestionType.TEXT
        if not is_text:
            parsed = parse_answer(q.type, text, q.spec or {})
            if parsed.ok:
                return self._record_and_advance(enr, q, AnswerStatus.ANSWERED, parsed.value, text)
        meta = self._meta_intent(q, text, intent, confidence)
        if meta:
            return self._meta_outcome(enr, q, meta, text, channel)
        if is_text:
            return self._record_and_advance(enr, q, AnswerStatus.ANSWERED, text.strip(), text)
        if enr.invalid_attempts == 0:
            enr.invalid_attempts = 1
            self.session.add(enr)
            return Outcome()
        outcome = self._record_and_advance(enr, q, AnswerStatus.NO_ANSWER, None, text)
        outcome.replies.insert(0, Reply(m.moving_on_text(channel)))
        return outcome

    def record_disclosure(self, key: str, text: str, message_id: int | None) -> None:
        """A message the safeguarding screen flagged (the bot never sees it).

        On a free-text question it is kept as the answer, exactly as typed; either way the
        survey pauses, so the next message re-asks the current question instead of being taken
        as an answer to a question the young person has not seen.
        """
        enr = self.enrolment(key)
        if enr is None or enr.status != EnrolmentStatus.IN_PROGRESS:
            return
        if message_id is not None:
            if enr.last_message_id is not None and message_id <= enr.last_message_id:
                return
            enr.last_message_id = message_id
        q = self.current_question(enr)
        if q is None:
            return
        if q.type == QuestionType.TEXT and not enr.paused:
            self._record_and_advance(enr, q, AnswerStatus.ANSWERED, text.strip(), text)
        if enr.status == EnrolmentStatus.IN_PROGRESS:
            enr.paused = True
        self.session.add(enr)

    def _meta_intent(self, q: Question, text: str, intent: str | None, confidence: float) -> str:
        """A question about the conversation itself ('what?', 'are you a bot'), if it is one."""
        t = normalise(text)
        if t in REPEAT_PHRASES:
            return "repeat"
        if q.type == QuestionType.TEXT:
            short = len(t.split()) <= FREE_TEXT_META_MAX_WORDS
            if intent in META_INTENTS and confidence >= FREE_TEXT_META_CONFIDENCE and short:
                return intent
            return ""
        if intent in META_INTENTS | {"skip", "opt_out"} and confidence >= CHOICE_META_CONFIDENCE:
            return intent
        return ""

    def _meta_outcome(self, enr: Enrolment, q: Question, meta: str, text: str, channel: str):
        s = self.settings
        if meta == "skip":
            return self._record_and_advance(enr, q, AnswerStatus.SKIPPED, None, text)
        replies = {
            "repeat": lambda: m.repeat_text(s, channel),
            "help": lambda: m.help_text(s, channel, q.help),
            "bot_challenge": lambda: m.bot_text(s, channel),
            "privacy_question": lambda: m.privacy_text(s, channel),
            "talk_to_human": lambda: m.human_text(s, channel),
            "opt_out": lambda: m.opt_out_confirm_text(channel),
        }
        return Outcome([Reply(replies[meta]())])

    def reply_for_intent(self, key: str, intent: str) -> list[Reply]:
        """Replies to small talk and questions outside a survey question."""
        s, channel = self.settings, self.channel(key)
        texts = {
            "help": lambda: m.help_text(s, channel),
            "bot_challenge": lambda: m.bot_text(s, channel),
            "privacy_question": lambda: m.privacy_text(s, channel),
            "talk_to_human": lambda: m.human_text(s, channel),
            "deny": lambda: m.declined_text(channel),
            "goodbye": lambda: m.goodbye_text(channel),
            "thanks": lambda: m.thanks_text(channel),
        }
        text = texts.get(intent, lambda: m.out_of_scope_text(channel))()
        replies = [Reply(text)]
        enr = self.enrolment(key)
        if intent != "goodbye" and enr and enr.status == EnrolmentStatus.INVITED:
            replies.append(
                Reply(
                    "Would you like to start?" if channel == "web" else "Reply YES to start.",
                    [{"title": "Start", "payload": "/start_survey"}] if channel == "web" else [],
                )
            )
        return replies

    def _record_and_advance(
        self, enr: Enrolment, q: Question, status: AnswerStatus, value, raw: str
    ) -> Outcome:
        answer = self.session.exec(
            select(Answer).where(Answer.enrolment_id == enr.id, Answer.question_id == q.id)
        ).first() or Answer(enrolment_id=enr.id, question_id=q.id, status=status)
        answer.status, answer.value, answer.raw_text = status, value, raw
        answer.updated_at = utcnow()
        self.session.add(answer)
        enr.position = q.position + 1
        enr.invalid_attempts = 0
        enr.updated_at = utcnow()
        self.session.add(enr)
        self.session.flush()
        if self.current_question(enr) is None:
            self._complete(enr)
            return Outcome(state="finished")
        return Outcome()

    def _complete(self, enr: Enrolment) -> None:
        enr.status = EnrolmentStatus.COMPLETED
        enr.completed_at = utcnow()
        self.session.add(enr)

    def stop(self, key: str) -> Outcome:
        """The young person asked to stop: no more questions; answers so far are kept."""
        enr = self.enrolment(key)
        if enr and enr.status != EnrolmentStatus.COMPLETED:
            enr.status = EnrolmentStatus.STOPPED
            enr.updated_at = utcnow()
            self.session.add(enr)
        return Outcome(state="stopped")

    def opt_out_request(self, key: str, text: str) -> tuple[bool, list[Reply]]:
        """Outside a question: an exact STOP stops now; 'pls stop texting me' is confirmed
        first. Returns (stopped, replies)."""
        if control_word(text) in STOP_WORDS:
            self.stop(key)
            return True, self.closing(key)
        return False, [Reply(m.opt_out_confirm_text(self.channel(key)))]

    def closing(self, key: str) -> list[Reply]:
        """The last message: thanks and 'you said, we did', or the stop acknowledgement."""
        enr = self.enrolment(key)
        channel = self.channel(key)
        if enr is None:
            return []
        if enr.status == EnrolmentStatus.COMPLETED:
            survey = self.survey_for(enr)
            return [Reply(survey.outro_sms if channel == "sms" else survey.outro_web)]
        return [Reply(m.stopped_text(self.settings, channel))]
