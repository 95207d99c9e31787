"""Thin actions: each one asks the survey engine what to do and passes its replies on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from surveys.db import session_scope
from surveys.engine import SurveyEngine
from surveys.rendering import Reply

FORM = "survey_form"


@contextmanager
def engine() -> Iterator[SurveyEngine]:
    with session_scope() as session:
        yield SurveyEngine(session)


def say(dispatcher: CollectingDispatcher, replies: list[Reply]) -> None:
    for r in replies:
        dispatcher.utter_message(
            text=r.text,
            buttons=r.buttons or None,
            json_message={"select": r.select} if r.select else None,
        )


def _message_id(tracker: Tracker) -> int | None:
    """The platform's id for the message being handled (sent as metadata)."""
    value = (tracker.latest_message.get("metadata") or {}).get("message_id")
    return value if isinstance(value, int) else None


def _intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


class ActionSessionStart(Action):
    """A new tracker for someone mid-survey (e.g. the bot lost its state) resumes the form."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        with engine() as e:
            resume = e.in_progress(tracker.sender_id)
        if resume:
            events += [ActiveLoop(FORM), SlotSet("requested_slot", "answer")]
        return [*events, ActionExecuted("action_listen")]


class ActionIntroduce(Action):
    def name(self) -> str:
        return "action_introduce"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with engine() as e:
            say(dispatcher, e.introduce(tracker.sender_id))
            resume = e.in_progress(tracker.sender_id)
        return [SlotSet("survey_ready", resume)]


class ActionBeginSurvey(Action):
    def name(self) -> str:
        return "action_begin_survey"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with engine() as e:
            ok, replies = e.begin(tracker.sender_id, _message_id(tracker))
        say(dispatcher, replies)
        return [SlotSet("answer", None), SlotSet("survey_ready", ok)]


class ActionAskAnswer(Action):
    """Called by the form for each question; the question comes from the database."""

    def name(self) -> str:
        return "action_ask_answer"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with engine() as e:
            say(dispatcher, e.ask(tracker.sender_id))
        return []


class ValidateSurveyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_survey_form"

    async def validate_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or (value if isinstance(value, str) else "")
        intent, confidence = _intent(tracker)
        metadata = tracker.latest_message.get("metadata") or {}
        message_id = metadata.get("message_id")
        with engine() as e:
            outcome = e.handle(
                tracker.sender_id,
                text,
                intent,
                confidence,
                int(message_id) if isinstance(message_id, int) else None,
            )
        say(dispatcher, outcome.replies)
        # None re-asks (the next question, or the same one); a value completes the form.
        return {"answer": None if outcome.state == "continue" else outcome.state}


class ActionSurveyFinished(Action):
    def name(self) -> str:
        return "action_survey_finished"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with engine() as e:
            say(dispatcher, e.closing(tracker.sender_id))
        return [SlotSet("answer", None)]


class ActionStopSurvey(Action):
    """The opt_out intent outside a question: STOP stops; anything wordier asks to confirm."""

    def name(self) -> str:
        return "action_stop_survey"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        with engine() as e:
            stopped, replies = e.opt_out_request(
                tracker.sender_id, tracker.latest_message.get("text") or ""
            )
        say(dispatcher, replies)
        if not stopped:
            return []
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("answer", None)]


class ActionReply(Action):
    """Small talk and questions outside a survey question (help, privacy, bot, person...)."""

    def name(self) -> str:
        return "action_reply"

    async def run(self, dispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent, _ = _intent(tracker)
        with engine() as e:
            say(dispatcher, e.reply_for_intent(tracker.sender_id, intent or "out_of_scope"))
        return []
