"""The theme pipeline: text-speak normalisation, negation, multi-label decisions, and the
trained pipeline's behaviour on answers an officer would check by eye."""

from __future__ import annotations

import pytest

from analysis.theme_pipeline import blank_pipeline
from analysis.themes import default_analyser


@pytest.fixture(scope="module")
def blank():
    nlp = blank_pipeline()
    nlp.get_pipe("lemmatizer").initialize()
    return nlp


@pytest.fixture(scope="module")
def analyser():
    analyser = default_analyser()
    assert analyser is not None, "the theme pipeline is not built: run `make setup`"
    return analyser


def _lexicon(nlp, text: str):
    doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(text))
    return nlp.get_pipe("youthvoice_theme_lexicon")(doc)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("my sw never rings back", ["my", "social_worker", "never", "rings", "back"]),
        ("skl is boring ngl", ["school", "is", "boring", "not", "going", "to", "lie"]),
        ("m8s r sound", ["mates", "are", "sound"]),
        ("GCSE's 2moro!!!", ["gcses", "tomorrow"]),
        ("", ["no_words"]),
        ("👍", ["no_words"]),
    ],
)
def test_text_speak_is_normalised_and_the_raw_text_kept(blank, text, words):
    doc = blank.make_doc(text)
    assert [t.text for t in doc] == words
    assert doc._.raw == text


def test_lemmas_come_from_the_lookup_tables(blank):
    doc = blank.get_pipe("lemmatizer")(blank.make_doc("the buses were cancelled"))
    assert [t.lemma_ for t in doc] == ["the", "bus", "be", "cancel"]


def test_a_seed_after_a_negator_is_marked_negated(blank):
    hits = _lexicon(blank, "i dont feel unsafe round here")._.theme_hits
    assert any(h.code == "SAFE" and h.negated for h in hits)
    assert not any(h.negated for h in _lexicon(blank, "i feel unsafe round here")._.theme_hits)


def test_no_and_cant_do_not_negate_a_topic(blank):
    doc = _lexicon(blank, "no buses after 6 and i cant afford the bus fare")
    trans = [h for h in doc._.theme_hits if h.code.startswith("TRANS")]
    assert trans and not any(h.negated for h in trans)


def test_negation_stops_at_a_clause_boundary(blank):
    doc = _lexicon(blank, "i dont mind it. the buses are rubbish")
    assert any(h.code.startswith("TRANS") and not h.negated for h in doc._.theme_hits)


def test_the_decider_gives_several_themes_and_subthemes_only_under_them(blank):
    doc = _lexicon(blank, "whatever")
    doc.cats = {label: 0.0 for label in blank.get_pipe("textcat").labels}
    # A theme's score is the mean of its own and its best sub-theme's: MONEY (0.9 + 0.2) / 2
    # and TRANS (0.9 + 0.8) / 2 reach the default 0.5; EDU's sub-theme alone does not.
    doc.cats.update(
        {
            "TRANS": 0.9,
            "TRANS.cost": 0.8,
            "MONEY": 0.9,
            "MONEY.food": 0.2,
            "EDU.exams_pressure": 0.9,
        }
    )
    doc = blank.get_pipe("youthvoice_theme_decider")(doc)
    assert doc._.themes == ["TRANS", "MONEY"]
    assert "TRANS.cost" in doc._.subthemes
    assert "MONEY.food" in doc._.subthemes  # under its cut, but the theme's best sub-theme
    assert not any(s.startswith("EDU.") for s in doc._.subthemes)


def test_a_confident_sub_theme_carries_an_unsure_theme(blank):
    doc = _lexicon(blank, "whatever")
    doc.cats = {label: 0.0 for label in blank.get_pipe("textcat").labels}
    doc.cats.update({"EDU": 0.3, "EDU.exams_pressure": 0.9, "HEALTH": 0.45})
    doc = blank.get_pipe("youthvoice_theme_decider")(doc)
    assert doc._.themes == ["EDU"]  # (0.3 + 0.9) / 2; HEALTH (0.45 + 0) / 2 stays out
    assert doc._.subthemes == ["EDU.exams_pressure"]
    assert doc._.scores == {"EDU": 0.6, "HEALTH": 0.225}


def test_schools_fine_its_the_buses(analyser):
    [result] = analyser.analyse(["school's fine, it's the buses. the 7 never turns up after 6"])
    assert "TRANS" in result.themes and "EDU" not in result.themes


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        (
            "bus fares are too dear and my mam cant afford to give me money for them",
            {"TRANS", "MONEY"},
        ),
        (
            "youth club shut down so theres nothing to do and the buses stop at 6",
            {"PLACES", "TRANS"},
        ),
    ],
)
def test_an_answer_about_two_things_gets_both_themes(analyser, text, themes):
    [result] = analyser.analyse([text])
    assert themes <= set(result.themes), result.themes


def test_results_carry_valence_suggestion_scores_and_a_redacted_text(analyser):
    good, ask = analyser.analyse(
        [
            "my foster carers are amazing and i love living here",
            "there should be more buses at night, ring me on 07700 900123",
        ]
    )
    assert good.valence == "positive" and not good.suggestion
    assert ask.suggestion and "[PHONE]" in ask.redacted and "07700" not in ask.redacted
    assert all(0 <= s <= 1 for s in ask.scores.values())


def test_known_names_are_redacted_per_answer(analyser):
    # "quorra" is in no gazetteer: only the participant's own form tells us it is a name
    a, b = analyser.analyse(["quorra likes the park", "quorra likes the park"], [["Quorra"], []])
    assert a.redacted == "[NAME] likes the park"
    assert b.redacted == "quorra likes the park"


def test_empty_emoji_and_huge_answers_are_handled(analyser):
    results = analyser.analyse(["", "👍", "buses " * 20000])
    assert results[0].themes == [] and results[0].redacted == ""
    assert results[1].themes == []
    assert "TRANS" in results[2].themes
