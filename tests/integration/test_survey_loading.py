"""`youthvoice surveys load`: surveys are data, loaded and updated without losing answers,
and a new survey runs through the bot with no retraining."""

from __future__ import annotations

import os
import subprocess

import pytest
from sqlmodel import select

from surveys.models import Answer, Consultation, Question, Survey
from tests.support.chat import YoungPerson
from tests.support.cli import youthvoice as run_youthvoice

DEFINITION = """\
slug: {slug}
title: Youth bus survey
channels: [web, sms]
intro:
  web: Hi! A few questions about buses. It's up to you, skip any question or stop any time.
  sms: Hi, 3 quick Qs about buses. Reply YES to start or STOP
outro:
  web: Thanks! We'll tell you what we did about buses.
  sms: Thanks! We'll tell you what we did.
questions:
  - key: uses_bus
    type: yesno
    text: Do you use the bus?
  - key: bus_rating
    type: scale
    text: How good are the buses?
    scale: {{min: 1, max: 5, low: awful, high: great}}
    skip_if: {{question: uses_bus, any_of: ["no"]}}
  - key: bus_change
    type: text
    text: What one thing would make buses better?
"""


def youthvoice(*args: str, env_url: str) -> subprocess.CompletedProcess:
    return run_youthvoice(*args, env=dict(os.environ, DATABASE_URL=env_url), timeout=120)


@pytest.fixture
def slug(request) -> str:
    return "buses-" + request.node.name.split("[")[0][-12:].replace("_", "-")


def test_load_update_and_bad_file(tmp_path, db, prepared_db, slug):
    path = tmp_path / "buses.yaml"
    path.write_text(DEFINITION.format(slug=slug))
    first = youthvoice("surveys", "load", str(path), env_url=prepared_db)
    assert first.returncode == 0, first.stderr
    assert f"survey '{slug}' loaded (version 1)" in first.stdout
    again = youthvoice("surveys", "load", str(path), env_url=prepared_db)
    assert "unchanged" in again.stdout

    survey = db.exec(select(Survey).where(Survey.slug == slug)).one()
    questions = db.exec(
        select(Question).where(Question.survey_id == survey.id).order_by(Question.position)
    ).all()
    assert [q.key for q in questions] == ["uses_bus", "bus_rating", "bus_change"]
    kept = questions[2]
    db.add(
        Answer(
            enrolment_id=_any_enrolment(db),
            question_id=kept.id,
            status="answered",
            value="more night buses",
            raw_text="more night buses",
        )
    )
    db.commit()

    # Reword one question and drop the free-text one: its stored answer must survive.
    updated = (
        DEFINITION.format(slug=slug)
        .split("  - key: bus_change")[0]
        .replace("How good are the buses?", "How good are the buses where you live?")
    )
    path.write_text(updated)
    second = youthvoice("surveys", "load", str(path), env_url=prepared_db)
    assert "loaded (version 2)" in second.stdout, second.stderr
    db.expire_all()
    rows = {q.key: q for q in db.exec(select(Question).where(Question.survey_id == survey.id))}
    assert rows["bus_rating"].text == "How good are the buses where you live?"
    assert rows["bus_change"].active is False
    assert db.exec(select(Answer).where(Answer.question_id == kept.id)).one().value == (
        "more night buses"
    )

    # A broken file is refused with its file and line, and nothing stored changes.
    path.write_text(updated.replace("    type: scale", "    type: slider"))
    bad = youthvoice("surveys", "load", str(path), env_url=prepared_db)
    assert bad.returncode == 1
    line = updated.splitlines().index("    type: scale") + 1
    assert f"{path}:{line}:" in bad.stderr and "type" in bad.stderr
    db.expire_all()
    assert db.exec(select(Survey).where(Survey.slug == slug)).one().version == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"slug: [unclosed\n", "invalid YAML"),
        (b"\x00\x01\x02binary", "binary"),
        (b"\xff\xfe\xfa", "UTF-8"),
        (b"", "mapping"),
    ],
)
def test_load_refuses_files_that_are_not_surveys(tmp_path, prepared_db, content, words):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = youthvoice("surveys", "load", str(path), env_url=prepared_db)
    assert result.returncode == 1
    assert str(path) in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_survey_runs_with_no_retraining(client, db, tmp_path, prepared_db, slug):
    path = tmp_path / "buses.yaml"
    path.write_text(DEFINITION.format(slug=slug))
    assert youthvoice("surveys", "load", str(path), env_url=prepared_db).returncode == 0
    survey = db.exec(select(Survey).where(Survey.slug == slug)).one()
    db.add(Consultation(slug=slug, title="Buses", survey_id=survey.id, status="open"))
    db.commit()

    yp = YoungPerson(client)
    yp.start(consultation=slug)
    assert "about buses" in yp.texts
    yp.say("Start")
    assert "Do you use the bus?" in yp.texts
    yp.say("nah")  # the rating question is skipped by its condition
    assert "What one thing would make buses better?" in yp.texts
    yp.say("buses that turn up")
    assert "We'll tell you what we did about buses" in yp.texts
    answers = yp.answers(db)
    assert answers["uses_bus"].value == "no"
    assert "bus_rating" not in answers
    assert answers["bus_change"].value == "buses that turn up"


def _any_enrolment(db) -> int:
    from surveys.models import Enrolment, Participant

    p = Participant(key=f"p_test_{os.getpid()}_{id(db)}", channel="web")
    db.add(p)
    db.flush()
    consultation = db.exec(select(Consultation)).first()
    e = Enrolment(participant_id=p.id, consultation_id=consultation.id)
    db.add(e)
    db.flush()
    return e.id
