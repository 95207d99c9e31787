"""Officers create and edit consultations, import surveys from YAML, build questions in forms
and preview them as SMS and web chat."""

from __future__ import annotations

import io
import re
from uuid import uuid4

import pytest
from sqlmodel import select

from surveys.models import AuditEvent, Consultation, Question, Survey
from tests.support.console import sign_in, staff_user

SURVEY_YAML = """\
slug: {slug}
title: Parks survey
intro:
  web: Hi! A few questions about parks.
  sms: Hi! A few questions about parks. Reply YES to start or STOP
outro:
  web: Thank you!
  sms: Thanks!
questions:
  - key: q1_visit
    type: yesno
    text: Do you go to a park?
  - key: q2_better
    type: text
    text: What would make parks better?
"""


@pytest.fixture
def officer(app_without_bot, db):
    client = app_without_bot.test_client()
    return client, sign_in(client, staff_user(db, "participation_officer")).token


def _form(token, **fields):
    base = {
        "title": "Parks 2027",
        "slug": f"parks-{uuid4().hex[:6]}",
        "survey": "bmbf",
        "description": "",
        "audience": "11-19",
        "group": "",
        "status": "draft",
        "csrf_token": token,
    }
    return {**base, **fields}


def test_an_officer_creates_a_consultation_and_opens_it(officer, db):
    client, token = officer
    data = _form(
        token,
        **{
            "opens_at": ["1", "3", "2027"],
            "closes_at": ["31", "3", "2027"],
        },
    )
    resp = client.post("/console/consultations/new", data=data)
    assert resp.status_code == 302
    c = db.exec(select(Consultation).where(Consultation.slug == data["slug"])).one()
    assert c.status == "draft" and c.closes_at.day == 31 and c.audience == "11-19"
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Parks 2027" in page and "31 March 2027" in page
    resp = client.post(f"/console/consultations/{c.slug}/edit", data={**data, "status": "open"})
    assert resp.status_code == 302
    db.refresh(c)
    assert c.status == "open"
    actions = db.exec(
        select(AuditEvent.action).where(AuditEvent.target == f"consultation:{c.id}")
    ).all()
    assert actions == ["consultation_created", "consultation_changed"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "Parks 2027!"}, "lower-case letters"),
        ({"slug": "bmbf-2026"}, "already a consultation"),
        ({"title": ""}, "Enter a title"),
        (
            {
                "closes_at": ["1", "1", "2027"],
                "opens_at": ["2", "1", "2027"],
            },
            "on or after the opening date",
        ),
    ],
)
def test_mistakes_are_explained_and_nothing_is_saved(officer, db, fields, message):
    client, token = officer
    before = len(db.exec(select(Consultation)).all())
    resp = client.post("/console/consultations/new", data=_form(token, **fields))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and message in page and "There is a problem" in page
    assert len(db.exec(select(Consultation)).all()) == before


def test_importing_yaml_reports_problems_by_line_and_loads_a_good_file(officer, db):
    client, token = officer
    slug = f"parks_{uuid4().hex[:6]}"
    broken = SURVEY_YAML.format(slug=slug).replace("    type: text", "    type: essay")
    resp = client.post("/console/surveys/import", data={"text": broken, "csrf_token": token})
    assert resp.status_code == 400
    assert re.search(r"pasted text:1[45]: questions\.1\.type", resp.get_data(as_text=True))
    binary = {"file": (io.BytesIO(b"\x00\x01\xff"), "x.yaml"), "csrf_token": token}
    resp = client.post("/console/surveys/import", data=binary, content_type="multipart/form-data")
    assert resp.status_code == 400 and "not UTF-8" in resp.get_data(as_text=True)
    good = {
        "file": (io.BytesIO(SURVEY_YAML.format(slug=slug).encode()), "parks.yaml"),
        "csrf_token": token,
    }
    resp = client.post("/console/surveys/import", data=good, content_type="multipart/form-data")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/console/surveys/{slug}")
    survey = db.exec(select(Survey).where(Survey.slug == slug)).one()
    assert survey.title == "Parks survey"
    download = client.get(f"/console/surveys/{slug}/survey.yaml")
    assert "attachment" in download.headers["Content-Disposition"]
    assert "q2_better" in download.get_data(as_text=True)


def _imported(client, token, db) -> str:
    slug = f"parks_{uuid4().hex[:6]}"
    client.post(
        "/console/surveys/import", data={"text": SURVEY_YAML.format(slug=slug), "csrf_token": token}
    )
    return slug


def _keys(db, slug):
    survey = db.exec(select(Survey).where(Survey.slug == slug)).one()
    db.expire_all()
    return db.exec(
        select(Question.key)
        .where(Question.survey_id == survey.id, Question.active)
        .order_by(Question.position)
    ).all()


def test_questions_are_built_moved_and_removed_in_forms(officer, db):
    client, token = officer
    slug = _imported(client, token, db)
    new = {
        "key": "q3_where",
        "type": "single",
        "text": "Which park do you go to most?",
        "sms": "Q3 Which park? Reply A Ropner, B Preston, C another",
        "options": "Ropner Park\npreston | Preston Park\nanother | Another park",
        "csrf_token": token,
    }
    assert client.post(f"/console/surveys/{slug}/questions/new", data=new).status_code == 302
    assert _keys(db, slug) == ["q1_visit", "q2_better", "q3_where"]
    survey = db.exec(select(Survey).where(Survey.slug == slug)).one()
    q = db.exec(
        select(Question).where(Question.survey_id == survey.id, Question.key == "q3_where")
    ).one()
    assert [o["value"] for o in q.spec["options"]] == ["ropner_park", "preston", "another"]

    client.post(
        f"/console/surveys/{slug}/questions/q3_where/move",
        data={"direction": "up", "csrf_token": token},
    )
    assert _keys(db, slug) == ["q1_visit", "q3_where", "q2_better"]
    client.post(f"/console/surveys/{slug}/questions/q1_visit/remove", data={"csrf_token": token})
    assert _keys(db, slug) == ["q3_where", "q2_better"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sms": "Q3 Which park? 🌳"}, "GSM-7"),
        ({"text": "This is confidential, tell us anything"}, "must not promise secrecy"),
        ({"options": "Only one"}, "at least 2 options"),
        ({"key": "q1_visit"}, "is used twice"),
    ],
)
def test_a_question_is_checked_like_a_yaml_file(officer, db, change, message):
    client, token = officer
    slug = _imported(client, token, db)
    data = {
        "key": "q3_where",
        "type": "single",
        "text": "Which park?",
        "sms": "",
        "options": "A\nB",
        "csrf_token": token,
        **change,
    }
    resp = client.post(f"/console/surveys/{slug}/questions/new", data=data)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    assert _keys(db, slug) == ["q1_visit", "q2_better"]


def test_sms_preview_counts_characters_and_messages(officer, db):
    client, _ = officer
    page = client.get("/console/consultations/bmbf-2026/preview?channel=sms").get_data(True)
    assert "Q1 How old are you? Reply A 11-12" in page
    assert re.search(r"\d+ characters, GSM-7: 1 message", page)
    web = client.get("/console/consultations/bmbf-2026/preview?channel=web").get_data(True)
    assert "Question 1 of 19" in web and "Rather not say" in web


def _new_survey(token, **changes):
    data = {
        "survey-slug": f"parks_{uuid4().hex[:6]}",
        "survey-title": "Parks survey",
        "survey-intro_web": "Hi! A few questions about parks. It's up to you.",
        "survey-intro_sms": "Hi! A few Qs about parks. Reply YES to start or STOP",
        "survey-outro_web": "Thank you!",
        "survey-outro_sms": "Thanks!",
        "question-key": "q1_visit",
        "question-type": "yesno",
        "question-text": "Do you go to a park?",
        "csrf_token": token,
    }
    return {**data, **changes}


def test_a_survey_is_built_from_nothing_in_forms_and_its_messages_edited(officer, db):
    client, token = officer
    data = _new_survey(token)
    resp = client.post("/console/surveys/new", data=data)
    slug = data["survey-slug"]
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/console/surveys/{slug}")
    survey = db.exec(select(Survey).where(Survey.slug == slug)).one()
    assert survey.intro_sms.startswith("Hi! A few Qs") and _keys(db, slug) == ["q1_visit"]
    edit = {
        "title": "Parks and green spaces",
        "intro_web": "Hello again.",
        "intro_sms": "Hi! Reply YES to start or STOP",
        "outro_web": "Thanks a lot!",
        "outro_sms": "Ta!",
        "csrf_token": token,
    }
    assert client.post(f"/console/surveys/{slug}/edit", data=edit).status_code == 302
    db.refresh(survey)
    assert survey.title == "Parks and green spaces" and survey.outro_sms == "Ta!"
    assert _keys(db, slug) == ["q1_visit"]  # the questions are untouched


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"survey-intro_web": "Everything you say is confidential."}, "must not promise secrecy"),
        ({"survey-intro_sms": "Hi 👋 reply YES"}, "GSM-7"),
        ({"survey-slug": "new"}, "already a survey"),
        ({"question-type": "single", "question-options": ""}, "at least 2 options"),
        ({"survey-title": "", "question-text": ""}, "Enter the question"),
    ],
)
def test_a_new_survey_is_checked_like_a_yaml_file(officer, db, change, message):
    client, token = officer
    data = _new_survey(token, **change)
    resp = client.post("/console/surveys/new", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and message in page
    assert db.exec(select(Survey).where(Survey.slug == data["survey-slug"])).first() is None
