"""Theme tags on stored answers: the model tags, officers accept, remove and add, every
decision is recorded and audited, decisions survive retraining, and the consultation summary
counts, breaks down and quotes (redacted) what young people said."""

from __future__ import annotations

import pytest
from sqlmodel import select

from analysis.themes import ThemeAnalyser, default_analyser
from surveys import audit
from surveys.models import AnswerAnalysis, AnswerTag, AuditEvent, TagStatus, User
from surveys.theme_summary import SUPPRESS, NotFound, summarise
from surveys.theme_tags import TagError, agreement, decide, reviewed_examples, tag_pending
from tests.support.cli import youthvoice
from tests.support.console import staff_user
from tests.support.themes import Reply, answered_consultation

BUSES = "the buses are rubbish, the 7 never comes after 6 and the fare is too dear"
CLUB = "the youth club shut so theres nothing to do round here"


@pytest.fixture(scope="module")
def analyser():
    analyser = default_analyser()
    assert analyser is not None, "the theme pipeline is not built: run `make setup`"
    return analyser


@pytest.fixture
def officer(db) -> User:
    return staff_user(db, "participation_officer")


def _tags(db, answer_id: int) -> dict[str, AnswerTag]:
    return {t.code: t for t in db.exec(select(AnswerTag).where(AnswerTag.answer_id == answer_id))}


def test_new_answers_are_tagged_once_with_a_redacted_copy(db, analyser):
    _, (buses, club) = answered_consultation(
        db, [Reply(BUSES + " text me 07700 900123"), Reply(CLUB)]
    )
    while tag_pending(db, analyser):  # other tests' answers may be pending too
        db.commit()
    db.commit()
    analysis = db.exec(select(AnswerAnalysis).where(AnswerAnalysis.answer_id == buses)).one()
    assert "[PHONE]" in analysis.redacted and "07700" not in analysis.redacted
    assert analysis.model_version == analyser.version
    assert "TRANS" in _tags(db, buses) and "PLACES" in _tags(db, club)
    assert all(t.status == TagStatus.SUGGESTED for t in _tags(db, buses).values())
    assert tag_pending(db, analyser) == 0  # nothing is analysed twice


def test_officers_accept_remove_and_add_tags_with_who_and_when_audited(db, analyser, officer):
    _, (answer,) = answered_consultation(db, [Reply(BUSES)])
    while tag_pending(db, analyser):
        db.commit()
    decide(db, answer, "TRANS", "accept", officer.id)
    decide(db, answer, "MONEY.family_money", "add", officer.id)  # adds MONEY as well
    db.commit()
    tags = _tags(db, answer)
    assert tags["TRANS"].status == TagStatus.ACCEPTED and tags["TRANS"].decided_by == officer.id
    assert tags["TRANS"].decided_at is not None
    assert tags["MONEY.family_money"].status == TagStatus.ADDED
    assert tags["MONEY"].status in (TagStatus.ADDED, TagStatus.ACCEPTED)

    decide(db, answer, "TRANS", "remove", officer.id)  # and every TRANS sub-theme with it
    db.commit()
    tags = _tags(db, answer)
    assert all(t.status == TagStatus.REMOVED for c, t in tags.items() if c.startswith("TRANS"))
    events = db.exec(
        select(AuditEvent).where(AuditEvent.target == f"answer:{answer}").order_by(AuditEvent.id)
    ).all()
    assert {e.action for e in events} >= {"theme_tag_accept", "theme_tag_add", "theme_tag_remove"}
    assert all(e.actor_id == officer.id for e in events)
    assert audit.verify(db) is None


def test_bad_decisions_are_refused_and_change_nothing(db, analyser, officer):
    _, (answer,) = answered_consultation(db, [Reply(CLUB)])
    while tag_pending(db, analyser):
        db.commit()
    before = {c: t.status for c, t in _tags(db, answer).items()}
    for code, action in (("NOPE", "add"), ("PLACES", "shout"), ("HEALTH", "accept")):
        with pytest.raises(TagError):
            decide(db, answer, code, action, officer.id)
        db.rollback()
    with pytest.raises(TagError):
        decide(db, 10**9, "PLACES", "add", officer.id)
    db.rollback()
    assert {c: t.status for c, t in _tags(db, answer).items()} == before


def test_decisions_survive_a_retrained_model_and_undecided_tags_are_replaced(db, analyser, officer):
    _, (answer,) = answered_consultation(db, [Reply(BUSES)])
    while tag_pending(db, analyser):
        db.commit()
    decide(db, answer, "ID.belonging", "add", officer.id)
    decide(db, answer, "TRANS", "remove", officer.id)
    db.commit()
    stale = AnswerTag(answer_id=answer, code="HEALTH.lifestyle", score=0.9)  # an old guess
    db.add(stale)
    db.commit()
    newer = ThemeAnalyser(analyser.nlp, version="retrained")
    while tag_pending(db, newer):
        db.commit()
    tags = _tags(db, answer)
    assert "HEALTH.lifestyle" not in tags  # undecided and no longer suggested: gone
    assert tags["ID.belonging"].status == TagStatus.ADDED  # officers' decisions stay
    assert tags["TRANS"].status == TagStatus.REMOVED
    analysis = db.exec(select(AnswerAnalysis).where(AnswerAnalysis.answer_id == answer)).one()
    assert analysis.model_version == "retrained"
    db.delete(analysis)  # let later tests re-tag this answer with the real model
    db.commit()


def test_reviews_become_training_examples_and_agreement_per_theme(db, analyser, officer):
    _, ids = answered_consultation(db, [Reply(BUSES), Reply(CLUB)])
    while tag_pending(db, analyser):
        db.commit()
    decide(db, ids[0], "TRANS", "accept", officer.id)
    decide(db, ids[1], "PLACES", "remove", officer.id)
    decide(db, ids[1], "VOICE.respect_age", "add", officer.id)
    db.commit()
    examples = {e.text: e for e in reviewed_examples(db)}
    assert "TRANS" in examples[BUSES].themes and examples[BUSES].source == "officer"
    assert "PLACES" not in examples[CLUB].themes and "VOICE" in examples[CLUB].themes
    assert examples[CLUB].split == "train"  # corrections never leak into the held-out split
    result = agreement(db, ids)
    assert result["TRANS"].both == 1
    assert result["PLACES"].model_only == 1
    assert result["VOICE"].officer_only == 1
    assert result["TRANS"].reviewed == 2 and result["TRANS"].rate is not None


def test_the_summary_counts_breaks_down_suppresses_and_quotes_redacted(db, analyser):
    replies = [
        Reply(BUSES + f" (reply {n})", age="13-14", groups=("young_carer",))
        for n in range(SUPPRESS)
    ]
    replies += [Reply(CLUB + " my name is Kayleigh Smith", age="15-16") for _ in range(3)]
    consultation, ids = answered_consultation(db, replies)
    assert summarise(db, consultation.slug)["not_yet_analysed"] == len(replies)
    while tag_pending(db, analyser):
        db.commit()
    data = summarise(db, consultation.slug, analyser)
    assert data["answers"] == len(replies) and data["not_yet_analysed"] == 0
    [question] = data["questions"]
    assert question["question"]["key"] == "q17_council_for_a_day"
    themes = {t["code"]: t for t in question["themes"]}
    assert themes["TRANS"]["count"] >= SUPPRESS
    assert themes["TRANS"]["share"] == round(themes["TRANS"]["count"] / len(replies), 3)
    assert themes["TRANS"]["subthemes"] and themes["TRANS"]["quotes"]
    assert all("Kayleigh" not in q for t in question["themes"] for q in t["quotes"])
    ages = {row["group"]: row for row in question["breakdowns"]["age_band"]}
    assert ages["13-14"]["answers"] == SUPPRESS and not ages["13-14"]["suppressed"]
    assert ages["15-16"]["suppressed"] and ages["15-16"]["themes"] == {}
    assert "TRANS" in ages["13-14"]["themes"]
    groups = {row["group"]: row for row in question["breakdowns"]["group"]}
    assert groups["Young carer"]["answers"] == SUPPRESS
    assert {t["code"] for t in data["themes"]} == set(
        analyser.nlp.get_pipe("youthvoice_theme_decider").taxonomy.codes
    )
    assert "emerging" in data and set(data["agreement"]) == {t["code"] for t in data["themes"]}


def test_emerging_themes_surface_what_the_taxonomy_misses(db, analyser):
    off_topic = [
        "more recycling bins and litter picks on the beach",
        "litter everywhere, need more bins and recycling",
        "sort the litter out, recycling bins are always full",
        "plant more trees and clean up the litter",
        "the beach is covered in litter and nobody recycles",
        "recycling at school and more bins for litter",
        "ban plastic and get proper recycling bins",
        "litter pickers and recycling bins in every park",
    ]
    consultation, _ = answered_consultation(db, [Reply(t) for t in off_topic])
    while tag_pending(db, analyser):
        db.commit()
    emerging = summarise(db, consultation.slug, analyser)["emerging"]
    assert emerging, "eight answers about litter and recycling should form a cluster"
    terms = {t for e in emerging for t in e["terms"]}
    assert terms & {"litter", "recycling", "recycle", "bin"}
    assert all(e["examples"] and e["size"] >= 2 for e in emerging)


def test_an_unknown_consultation_is_not_found(db):
    with pytest.raises(NotFound):
        summarise(db, "no-such-consultation")


def test_the_tag_and_summary_commands(db, tmp_path):
    import json

    consultation, _ = answered_consultation(db, [Reply(BUSES), Reply(CLUB)])
    tagged = youthvoice("analyse", "tag")
    assert tagged.returncode == 0, tagged.stderr
    assert "answer(s) tagged" in tagged.stdout
    out = tmp_path / "summary.json"
    done = youthvoice("analyse", "summary", consultation.slug, "-o", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["answers"] == 2 and data["questions"][0]["themes"]
    missing = youthvoice("analyse", "summary", "no-such-thing")
    assert missing.returncode == 1 and "no consultation 'no-such-thing'" in missing.stderr


def test_a_childs_own_name_is_never_analysed_and_is_redacted_from_their_answers(db, analyser):
    from surveys.theme_tags import pending

    many = [Reply("zephyrine worries when contact is cancelled", question="a6_worries")] * 3
    consultation, ids = answered_consultation(
        db, many, survey_slug="lac_form_a", own_name="Zephyrine"
    )
    waiting = pending(db, analyser.version, limit=10_000)
    assert {a.id for a in waiting} >= set(ids)
    assert not any(a.raw_text == "Zephyrine" for a in waiting)  # the name itself is not an answer
    while tag_pending(db, analyser, limit=2):  # small batches still get through everything
        db.commit()
    for answer_id in ids:
        analysis = db.exec(
            select(AnswerAnalysis).where(AnswerAnalysis.answer_id == answer_id)
        ).one()
        assert analysis.redacted == "[NAME] worries when contact is cancelled"
    assert not pending(db, analyser.version)
    assert summarise(db, consultation.slug)["not_yet_analysed"] == 0
