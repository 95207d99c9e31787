"""A scripted young person using the chat API."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from surveys.models import Answer, Enrolment, Participant, Question
from surveys.privacy import token_hash


@dataclass
class YoungPerson:
    client: object
    conversation: str = ""
    transcript: list[tuple[str, str]] = field(default_factory=list)
    last: list[dict] = field(default_factory=list)

    def start(self, consultation: str | None = None) -> list[dict]:
        body = {"consultation": consultation} if consultation else {}
        resp = self.client.post("/chat/api/conversations", json=body)
        assert resp.status_code == 201, resp.get_json()
        data = resp.get_json()
        self.conversation = data["conversation"]
        return self._record(data)

    def say(self, text: str) -> list[dict]:
        self.transcript.append(("you", text))
        resp = self.client.post(
            "/chat/api/messages", json={"conversation": self.conversation, "text": text}
        )
        assert resp.status_code == 200, resp.get_json()
        return self._record(resp.get_json())

    def _record(self, data: dict) -> list[dict]:
        self.last = data["messages"]
        self.pending = data["pending"]
        self.transcript += [("bot", m["text"]) for m in self.last]
        return self.last

    @property
    def texts(self) -> str:
        return "\n".join(m["text"] for m in self.last)

    def participant(self, db: Session) -> Participant:
        return db.exec(
            select(Participant).where(Participant.web_token_hash == token_hash(self.conversation))
        ).one()

    def enrolment(self, db: Session) -> Enrolment:
        db.expire_all()
        p = self.participant(db)
        return db.exec(select(Enrolment).where(Enrolment.participant_id == p.id)).one()

    def answers(self, db: Session) -> dict[str, Answer]:
        enr = self.enrolment(db)
        rows = db.exec(
            select(Question.key, Answer)
            .join(Answer, Answer.question_id == Question.id)
            .where(Answer.enrolment_id == enr.id)
        ).all()
        return dict(rows)
