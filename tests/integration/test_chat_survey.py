"""A young person completes the BMBF survey by web chat, through the real trained Rasa bot."""

from __future__ import annotations

import pytest

from surveys.definitions import DEFINITIONS_DIR, load_definition
from surveys.models import AnswerStatus, EnrolmentStatus
from tests.support.chat import YoungPerson

BMBF = load_definition(DEFINITIONS_DIR / "bmbf.yaml")
Q = {q.key: q for q in BMBF.questions}
KEYS = [q.key for q in BMBF.questions]


def opt(key: str, index: int) -> str:
    return Q[key].options[index].value


def test_greeting_explains_the_survey_before_it_starts(client):
    yp = YoungPerson(client)
    first = yp.start()
    intro = first[0]
    assert intro["text"] == BMBF.intro.web
    for words in ("up to you", "skip any question", "stop at any time", "team reads the answers"):
        assert words.lower() in intro["text"].lower()
    assert "keep you safe" in intro["text"]  # not confidential if at risk
    assert [b["title"] for b in intro["buttons"]][0] == "Start"


def test_whole_survey_with_skip_help_and_an_invalid_answer(client, db):
    yp = YoungPerson(client)
    yp.start()
    yp.say("/start_survey")
    assert Q[KEYS[0]].text in yp.texts and "Question 1 of 19" in yp.texts

    yp.say("b")  # Q1 age
    assert Q[KEYS[1]].text in yp.texts
    yp.say("HELP")  # help, then the same question again
    assert "SKIP" in yp.last[0]["text"] and Q[KEYS[1]].text in yp.last[-1]["text"]
    yp.say("four")  # Q2
    yp.say("banana")  # Q3 invalid: re-asked once with the options spelled out
    assert "Sorry" in yp.texts and "Reply a number from 1" in yp.texts
    yp.say("defo 3")  # Q3
    yp.say("SKIP")  # Q4
    yp.say("😀")  # Q5
    yp.say("I want the bullying to stop")  # Q6 free text, never a command
    yp.say("a c")  # Q7 multi
    yp.say("ye")  # Q8
    yp.say("5")  # Q9
    yp.say("ones that actually listen & don't judge")  # Q10
    yp.say("B)")  # Q11
    yp.say("4!!")  # Q12
    yp.say("N")  # Q13 extra option
    yp.say("buses")  # Q14 by label
    yp.say("not sure")  # Q15
    yp.say("wibble")  # Q16 invalid
    yp.say("still wibble")  # Q16 invalid again: recorded as no answer, moves on
    assert "move on" in yp.texts and Q[KEYS[16]].text in yp.texts
    yp.say("more buses at night and somewhere to go that isn't the park")  # Q17
    yp.say("skip")  # Q18
    yp.say("I like the youth club")  # Q19, last
    assert yp.last[-1]["text"] == BMBF.outro.web

    answers = yp.answers(db)
    expected = {
        "q1": (AnswerStatus.ANSWERED, opt(KEYS[0], 1), "b"),
        "q2": (AnswerStatus.ANSWERED, 4, "four"),
        "q3": (AnswerStatus.ANSWERED, 3, "defo 3"),
        "q4": (AnswerStatus.SKIPPED, None, "SKIP"),
        "q5": (AnswerStatus.ANSWERED, 5, "😀"),
        "q6": (AnswerStatus.ANSWERED, "I want the bullying to stop", "I want the bullying to stop"),
        "q7": (AnswerStatus.ANSWERED, [opt(KEYS[6], 0), opt(KEYS[6], 2)], "a c"),
        "q8": (AnswerStatus.ANSWERED, "yes", "ye"),
        "q9": (AnswerStatus.ANSWERED, 5, "5"),
        "q10": (AnswerStatus.ANSWERED, "ones that actually listen & don't judge", None),
        "q11": (AnswerStatus.ANSWERED, opt(KEYS[10], 1), "B)"),
        "q12": (AnswerStatus.ANSWERED, 4, "4!!"),
        "q13": (AnswerStatus.ANSWERED, Q[KEYS[12]].extra_options[0].value, "N"),
        "q14": (AnswerStatus.ANSWERED, "buses", "buses"),
        "q15": (AnswerStatus.ANSWERED, "not_sure", "not sure"),
        "q16": (AnswerStatus.NO_ANSWER, None, "still wibble"),
        "q17": (AnswerStatus.ANSWERED, None, None),
        "q18": (AnswerStatus.SKIPPED, None, "skip"),
        "q19": (AnswerStatus.ANSWERED, "I like the youth club", "I like the youth club"),
    }
    assert len(answers) == 19
    for i, key in enumerate(KEYS):
        status, value, raw = expected[f"q{i + 1}"]
        got = answers[key]
        assert got.status == status, key
        if value is not None or status != AnswerStatus.ANSWERED:
            assert got.value == value, key
        if raw is not None:
            assert got.raw_text == raw, key
    assert answers[KEYS[16]].value.startswith("more buses at night")
    enr = yp.enrolment(db)
    assert enr.status == EnrolmentStatus.COMPLETED and enr.completed_at is not None


@pytest.mark.parametrize(
    ("said", "expect"),
    [
        ("what?", "here it is again"),
        ("say that again", "here it is again"),
        ("are you a bot", "chatbot"),
        ("who sees this", "reads the answers"),
        ("I want to talk to a real person", "real person"),
        ("help", "SKIP"),
    ],
)
def test_questions_about_the_chat_are_answered_then_the_survey_goes_on(client, db, said, expect):
    yp = YoungPerson(client)
    yp.start()
    yp.say("/start_survey")
    yp.say("c")  # Q1
    yp.say(said)  # at Q2, a scale question
    assert expect in yp.last[0]["text"]
    assert Q[KEYS[1]].text in yp.last[-1]["text"]  # the same question again
    yp.say("2")
    assert Q[KEYS[2]].text in yp.texts
    answers = yp.answers(db)
    assert answers[KEYS[1]].value == 2 and answers[KEYS[1]].raw_text == "2"


def test_stop_ends_the_survey_and_keeps_earlier_answers(client, db):
    yp = YoungPerson(client)
    yp.start()
    yp.say("yes")
    assert Q[KEYS[0]].text in yp.texts  # "yes" started the survey; it is not an answer
    yp.say("a")
    yp.say("STOP")
    assert "stopped" in yp.texts
    yp.say("4")  # no more questions after STOP
    assert Q[KEYS[2]].text not in yp.texts
    answers = yp.answers(db)
    assert set(answers) == {KEYS[0]}
    assert yp.enrolment(db).status == EnrolmentStatus.STOPPED


def test_a_reply_days_later_resumes_even_if_the_bot_forgot_the_conversation(client, db, rasa):
    yp = YoungPerson(client)
    yp.start()
    yp.say("/start_survey")
    yp.say("d")
    yp.say("3")
    rasa.reset_tracker(yp.participant(db).key)  # Rasa's memory of the chat is gone
    yp.say("5")  # the answer to Q3, where they were
    assert Q[KEYS[3]].text in yp.texts
    answers = yp.answers(db)
    assert answers[KEYS[2]].value == 5
    assert yp.enrolment(db).position == 3


def test_free_text_that_sounds_like_a_command_is_stored_as_typed(client, db):
    yp = YoungPerson(client)
    yp.start()
    yp.say("/start_survey")
    for reply in ("a", "3", "3", "3", "3"):
        yp.say(reply)
    said = "pls stop texting me about school, I want the bullying to stop"
    yp.say(said)  # Q6 free text
    assert Q[KEYS[6]].text in yp.texts
    assert yp.answers(db)[KEYS[5]].raw_text == said
    assert yp.enrolment(db).status == EnrolmentStatus.IN_PROGRESS
