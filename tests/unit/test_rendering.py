"""How a question is shown: web chat text and buttons, SMS plain GSM-7 text.

Questions are built from the shipped YAML as unsaved surveys.models.Question objects.
"""

from __future__ import annotations

import re

import pytest

from surveys.definitions import DEFINITIONS_DIR, QuestionDef, SurveyDef, as_spec, load_definition
from surveys.models import Question, QuestionType
from surveys.parsing import parse_answer
from surveys.rendering import render_question
from surveys.text import gsm7_length, is_gsm7, to_sms_text

BMBF = load_definition(DEFINITIONS_DIR / "bmbf.yaml")
LAC_A = load_definition(DEFINITIONS_DIR / "lac_form_a.yaml")
LAC_B = load_definition(DEFINITIONS_DIR / "lac_form_b.yaml")
BY_KEY = {q.key: q for q in BMBF.questions}
TOTAL = len(BMBF.questions)
SKIP = {"title": "Skip", "payload": "SKIP"}
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")


def question(qd: QuestionDef, sms: str | None = None, text: str | None = None) -> Question:
    return Question(
        survey_id=1,
        position=0,
        key=qd.key,
        type=qd.type,
        text=qd.text if text is None else text,
        sms=qd.sms if sms is None else sms,
        spec=as_spec(qd),
    )


def number_of(survey: SurveyDef, qd: QuestionDef) -> int:
    return survey.questions.index(qd) + 1


def all_questions(*surveys: SurveyDef) -> list[object]:
    return [pytest.param(s, q, id=f"{s.slug}-{q.key}") for s in surveys for q in s.questions]


def bmbf_params(*types: QuestionType) -> list[object]:
    return [pytest.param(q, id=q.key) for q in BMBF.questions if not types or q.type in types]


def web(qd: QuestionDef, reprompt: bool = False, survey: SurveyDef = BMBF):
    return render_question(
        question(qd), "web", number_of(survey, qd), len(survey.questions), reprompt=reprompt
    )


def sms(qd: QuestionDef, reprompt: bool = False, **overrides: str):
    return render_question(question(qd, **overrides), "sms", number_of(BMBF, qd), TOTAL, reprompt)


# ---------------------------------------------------------------- web chat
@pytest.mark.parametrize("qd", bmbf_params())
def test_web_shows_position_text_and_a_skip_button_last(qd: QuestionDef) -> None:
    reply = web(qd)
    n = number_of(BMBF, qd)
    assert reply.text == f"Question {n} of 19\n{qd.text}"
    assert reply.buttons[-1] == SKIP
    assert [b["payload"] for b in reply.buttons].count("SKIP") == 1


@pytest.mark.parametrize("qd", bmbf_params(QuestionType.SCALE))
def test_web_scale_buttons_are_1_to_5_then_extras_then_skip(qd: QuestionDef) -> None:
    reply = web(qd)
    payloads = [b["payload"] for b in reply.buttons]
    extras = [o.label for o in qd.extra_options]
    assert payloads == ["1", "2", "3", "4", "5", *extras, "SKIP"]
    titles = [b["title"] for b in reply.buttons]
    assert qd.scale is not None
    assert titles[0] == f"1 {qd.scale.low}"
    assert titles[1:4] == ["2", "3", "4"]
    assert titles[4] == f"5 {qd.scale.high}"
    assert reply.select is None
    assert "select" not in reply.as_dict()


def test_web_q13_offers_none_of_these_as_a_button() -> None:
    buttons = web(BY_KEY["q13_school"]).buttons
    assert {"title": "None of these", "payload": "None of these"} in buttons


@pytest.mark.parametrize("qd", bmbf_params(QuestionType.SINGLE, QuestionType.MULTI))
def test_web_choice_buttons_have_letter_payloads(qd: QuestionDef) -> None:
    reply = web(qd)
    options = reply.buttons[:-1]
    assert [b["payload"] for b in options] == [chr(ord("A") + i) for i in range(len(qd.options))]
    assert [b["title"] for b in options] == [o.label for o in qd.options]


@pytest.mark.parametrize("qd", bmbf_params(QuestionType.MULTI))
def test_web_multi_allows_several_buttons(qd: QuestionDef) -> None:
    reply = web(qd)
    assert reply.select == "multiple"
    assert reply.as_dict()["select"] == "multiple"


@pytest.mark.parametrize("qd", bmbf_params(QuestionType.SINGLE, QuestionType.YESNO))
def test_web_single_and_yesno_allow_one_button(qd: QuestionDef) -> None:
    reply = web(qd)
    assert reply.select is None
    assert "select" not in reply.as_dict()


@pytest.mark.parametrize("qd", bmbf_params(QuestionType.YESNO))
def test_web_yesno_buttons(qd: QuestionDef) -> None:
    assert [b["title"] for b in web(qd).buttons] == ["Yes", "No", "Not sure", "Skip"]


@pytest.mark.parametrize("qd", bmbf_params(QuestionType.TEXT))
def test_web_free_text_has_only_skip(qd: QuestionDef) -> None:
    assert web(qd).buttons == [SKIP]


def _expected_value(qd: QuestionDef, payload: str) -> object:
    if qd.type == QuestionType.SCALE:
        extras = {o.label: o.value for o in qd.extra_options}
        return extras[payload] if payload in extras else int(payload)
    if qd.type in (QuestionType.SINGLE, QuestionType.MULTI):
        value = qd.options[ord(payload) - ord("A")].value
        return [value] if qd.type == QuestionType.MULTI else value
    return {"yes": "yes", "no": "no", "not sure": "not_sure"}[payload]


@pytest.mark.parametrize(("survey", "qd"), all_questions(BMBF, LAC_A, LAC_B))
def test_every_button_payload_round_trips_through_the_parser(
    survey: SurveyDef, qd: QuestionDef
) -> None:
    reply = web(qd, survey=survey)
    payloads = [b["payload"] for b in reply.buttons if b["payload"] != "SKIP"]
    if qd.type != QuestionType.TEXT:
        assert payloads, f"{qd.key} has no answer buttons"
    for payload in payloads:
        parsed = parse_answer(qd.type, payload, as_spec(qd))
        assert parsed.ok, f"{qd.key}: button payload {payload!r} is not understood"
        assert parsed.value == _expected_value(qd, payload)


def test_web_faces_scale_shows_faces_but_sends_numbers() -> None:
    qd = next(q for q in LAC_A.questions if q.faces)
    reply = web(qd, survey=LAC_A)
    assert [b["payload"] for b in reply.buttons] == ["1", "2", "3", "4", "5", "SKIP"]
    assert all(EMOJI.search(b["title"]) for b in reply.buttons[:5])


# ---------------------------------------------------------------- reprompts
@pytest.mark.parametrize("channel", ["web", "sms"])
@pytest.mark.parametrize("qd", bmbf_params(QuestionType.SINGLE, QuestionType.MULTI))
def test_reprompt_spells_out_every_option(qd: QuestionDef, channel: str) -> None:
    reply = render_question(question(qd), channel, number_of(BMBF, qd), TOTAL, reprompt=True)
    assert reply.text.count("Sorry") == 1
    assert "Reply" in reply.text
    for i, option in enumerate(qd.options):
        assert f"{chr(ord('A') + i)} {option.label}" in reply.text
    how = "Reply all the letters that fit" if qd.type == QuestionType.MULTI else "Reply 1 letter"
    assert how in reply.text


@pytest.mark.parametrize("channel", ["web", "sms"])
@pytest.mark.parametrize("qd", bmbf_params(QuestionType.SCALE))
def test_reprompt_spells_out_the_scale(qd: QuestionDef, channel: str) -> None:
    reply = render_question(question(qd), channel, number_of(BMBF, qd), TOTAL, reprompt=True)
    assert qd.scale is not None
    expected = f"Reply a number from 1 ({qd.scale.low}) to 5 ({qd.scale.high})"
    assert expected in reply.text
    for extra in qd.extra_options:
        assert extra.label in reply.text


@pytest.mark.parametrize("channel", ["web", "sms"])
@pytest.mark.parametrize("qd", bmbf_params(QuestionType.YESNO))
def test_reprompt_spells_out_yes_no_not_sure(qd: QuestionDef, channel: str) -> None:
    reply = render_question(question(qd), channel, number_of(BMBF, qd), TOTAL, reprompt=True)
    assert "Reply Y, N or NOT SURE" in reply.text


def test_web_reprompt_repeats_the_question_and_keeps_the_buttons() -> None:
    qd = BY_KEY["q11_least_safe"]
    first, again = web(qd), web(qd, reprompt=True)
    assert again.text.startswith("Question 11 of 19\n")
    assert qd.text in again.text
    assert again.buttons == first.buttons


# ---------------------------------------------------------------- SMS
@pytest.mark.parametrize("qd", bmbf_params())
def test_sms_uses_the_yaml_sms_text(qd: QuestionDef) -> None:
    reply = sms(qd)
    assert reply.text == qd.sms
    assert reply.buttons == []
    assert reply.select is None


@pytest.mark.parametrize("reprompt", [False, True], ids=["ask", "reprompt"])
@pytest.mark.parametrize("qd", bmbf_params())
def test_sms_is_gsm7_without_emoji(qd: QuestionDef, reprompt: bool) -> None:
    for overrides in ({}, {"sms": ""}):
        text = sms(qd, reprompt, **overrides).text
        assert is_gsm7(text), text
        assert not EMOJI.search(text)


def _bmbf_sms_segment_params() -> list[object]:
    params = []
    for q in BMBF.questions:
        for reprompt in (False, True):
            kind = "reprompt" if reprompt else "ask"
            params.append(pytest.param(q, reprompt, id=f"{q.key}-{kind}"))
    return params


@pytest.mark.parametrize(("qd", "reprompt"), _bmbf_sms_segment_params())
def test_bmbf_sms_fits_one_segment(qd: QuestionDef, reprompt: bool) -> None:
    text = sms(qd, reprompt).text
    assert gsm7_length(text) <= 160, f"{len(text)} chars: {text}"


@pytest.mark.parametrize(
    ("key", "wording"),
    [
        (
            "q1_age",
            "Reply 1 letter: A 11-12, B 13-14, C 15-16, D 17-19, E 20-25, F Rather not say.",
        ),
        ("q11_least_safe", "Reply 1 letter: A Home, B School or college, C Out in my area"),
        ("q7_talk_to", "Reply all the letters that fit: A Family, B A friend, C A teacher"),
        ("q2_happy", "Reply a number from 1 (not at all) to 5 (very happy)."),
        (
            "q13_school",
            "Reply a number from 1 (really badly) to 5 (really well), or None of these.",
        ),
        ("q8_trusted_adult", "Reply Y, N or NOT SURE."),
        ("q6_cope", "Type your answer, or SKIP to skip."),
    ],
)
def test_sms_without_sms_text_is_built_from_text_and_options(key: str, wording: str) -> None:
    qd = BY_KEY[key]
    n = number_of(BMBF, qd)
    text = sms(qd, sms="").text
    assert text.startswith(f"Q{n} {qd.text} ")
    assert wording in text
    assert text != qd.sms


def test_sms_without_sms_text_makes_typographic_text_gsm7() -> None:
    qd = BY_KEY["q2_happy"]
    text = sms(qd, sms="", text="How\u2019s life \u2013 honestly? \U0001f600").text
    assert is_gsm7(text)
    assert "How's life - honestly?" in text
    assert "\U0001f600" not in text
    assert text.startswith("Q2 How's life - honestly?")


def test_sms_reprompt_is_the_lead_and_the_options_only() -> None:
    qd = BY_KEY["q8_trusted_adult"]
    assert sms(qd, reprompt=True).text == "Sorry, we didn't get that. Reply Y, N or NOT SURE."


# ---------------------------------------------------------------- to_sms_text
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("It\u2019s \u2018fine\u2019", "It's 'fine'"),
        ("\u201cQuoted\u201d", '"Quoted"'),
        ("1 \u2013 5", "1 - 5"),
        ("now \u2014 later", "now - later"),
        ("wait\u2026", "wait..."),
        ("a\u00a0b", "a b"),
        ("na\u00efve", "naive"),  # i-diaeresis is not GSM-7: reduced to its base letter
        ("caf\u00e9 \u00c4 \u00df", "caf\u00e9 \u00c4 \u00df"),  # these are GSM-7: kept
        ("\u00a35 or \u20ac5", "\u00a35 or \u20ac5"),
        ("  padded  ", "padded"),
        ("plain text", "plain text"),
    ],
)
def test_to_sms_text(raw: str, expected: str) -> None:
    out = to_sms_text(raw)
    assert out == expected
    assert is_gsm7(out)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hi \U0001f600 there", "Hi there"),
        ("Hi there \U0001f600", "Hi there"),
        ("\U0001f600\U0001f600", ""),
    ],
)
def test_to_sms_text_drops_emoji(raw: str, expected: str) -> None:
    out = to_sms_text(raw)
    assert out == expected
    assert is_gsm7(out)
