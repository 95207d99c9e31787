"""How a question looks on each channel: web chat (text and buttons) and SMS (plain GSM-7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from surveys.messages import reprompt_lead
from surveys.models import Question, QuestionType
from surveys.parsing import letter
from surveys.text import gsm7_length, to_sms_text

SMS_SEGMENT = 160

FACES = {1: "😢", 2: "🙁", 3: "😐", 4: "🙂", 5: "😀"}
FACE_WORDS = {1: "Really bad", 2: "Not good", 3: "OK", 4: "Good", 5: "Really good"}


@dataclass
class Reply:
    """One bot message: text, optional buttons, and whether several buttons may be chosen."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    select: str | None = None  # "multiple" for multi-choice questions

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "buttons": self.buttons}
        if self.select:
            d["select"] = self.select
        return d


def _scale_bounds(spec: dict[str, Any]) -> tuple[int, int, str, str]:
    s = spec.get("scale") or {}
    return int(s.get("min", 1)), int(s.get("max", 5)), s.get("low", ""), s.get("high", "")


def spelled_options(q: Question, channel: str) -> str:
    """The valid replies in words: 'Reply A family, B friend...' or 'Reply 1 (..) to 5 (..)'."""
    spec = q.spec or {}
    if q.type == QuestionType.SCALE:
        lo, hi, low, high = _scale_bounds(spec)
        low_s = f" ({low})" if low else ""
        high_s = f" ({high})" if high else ""
        text = f"Reply a number from {lo}{low_s} to {hi}{high_s}"
        extras = spec.get("extra_options", [])
        if extras:
            text += ", or " + " or ".join(f"{o['label']}" for o in extras)
        return text + "."
    if q.type in (QuestionType.SINGLE, QuestionType.MULTI):
        opts = ", ".join(f"{letter(i)} {o['label']}" for i, o in enumerate(spec["options"]))
        how = "Reply all the letters that fit" if q.type == QuestionType.MULTI else "Reply 1 letter"
        return f"{how}: {opts}."
    if q.type == QuestionType.YESNO:
        return "Reply Y, N or NOT SURE."
    return "Type your answer, or SKIP to skip."


def fit_sms(candidates: list[str]) -> str:
    """The first candidate that fits one GSM-7 segment; else the first, whole (never cut:
    a two-part SMS is better than a question with words missing)."""
    texts = [to_sms_text(c) for c in candidates if c]
    return next((t for t in texts if gsm7_length(t) <= SMS_SEGMENT), texts[0])


def _web_buttons(q: Question) -> tuple[list[dict[str, str]], str | None]:
    spec = q.spec or {}
    if q.type == QuestionType.SCALE:
        lo, hi, low, high = _scale_bounds(spec)
        buttons = []
        for n in range(lo, hi + 1):
            if spec.get("faces") and n in FACES:
                title = f"{FACES[n]} {FACE_WORDS[n]}"
            else:
                title = (
                    str(n)
                    + (f" {low}" if n == lo and low else "")
                    + (f" {high}" if n == hi and high else "")
                )
            buttons.append({"title": title, "payload": str(n)})
        buttons += [
            {"title": o["label"], "payload": o["label"]} for o in spec.get("extra_options", [])
        ]
        return buttons, None
    if q.type in (QuestionType.SINGLE, QuestionType.MULTI):
        buttons = [
            {"title": o["label"], "payload": letter(i)} for i, o in enumerate(spec["options"])
        ]
        return buttons, ("multiple" if q.type == QuestionType.MULTI else None)
    if q.type == QuestionType.YESNO:
        return [
            {"title": "Yes", "payload": "yes"},
            {"title": "No", "payload": "no"},
            {"title": "Not sure", "payload": "not sure"},
        ], None
    return [], None


def render_question(
    q: Question, channel: str, number: int, total: int, reprompt: bool = False
) -> Reply:
    """The question as the young person sees it; a reprompt spells the options out."""
    if channel == "sms":
        spelled = spelled_options(q, channel)
        if reprompt:
            lead = reprompt_lead(channel)
            candidates = [f"{lead} {spelled}", f"Sorry! {spelled}", f"Sorry! {q.sms}"]
        else:
            candidates = [q.sms, f"Q{number} {q.text} {spelled}"]
        return Reply(fit_sms(candidates))
    text = q.text
    if reprompt:
        text = f"{reprompt_lead(channel)} {q.text}\n{spelled_options(q, channel)}"
    buttons, select = _web_buttons(q)
    buttons = [*buttons, {"title": "Skip", "payload": "SKIP"}]
    return Reply(f"Question {number} of {total}\n{text}", buttons, select)
