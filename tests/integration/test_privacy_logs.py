"""Children's data: no message bodies in any process's logs; Rasa sees only a pseudonym."""

from __future__ import annotations

import logging

from tests.support.chat import YoungPerson

SECRET_ANSWER = "my nan Dorothy at 12 Acacia Avenue makes me laugh"


def test_logs_never_contain_what_a_young_person_wrote(client, db, rasa, caplog):
    caplog.set_level(logging.DEBUG)
    yp = YoungPerson(client)
    yp.start()
    yp.say("/start_survey")
    for reply in ("a", "3", "3", "3", "3"):
        yp.say(reply)
    yp.say(SECRET_ANSWER)  # Q6, free text
    assert yp.answers(db)["q6_cope"].raw_text == SECRET_ANSWER
    assert SECRET_ANSWER not in caplog.text
    assert yp.conversation not in caplog.text
    for log in ("rasa.log", "actions.log"):
        text = (rasa.logs / log).read_text(errors="replace")
        assert SECRET_ANSWER not in text, log
        assert yp.conversation not in text, log


def test_rasa_knows_the_participant_only_by_pseudonymous_key(client, db, rasa):
    yp = YoungPerson(client)
    yp.start()
    key = yp.participant(db).key
    assert key.startswith("p_") and yp.conversation not in key
    parsed = rasa.parse("hi")  # the API needs its token: it answered, so the token works
    assert parsed["intent"]["name"] == "greet"
