"""The safeguarding detector: the must-catch list always flagged (under random case, spacing and
punctuation), ordinary idioms pass, negation and past events handled, bad input safe."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.classify import BadLine, classify_lines
from analysis.risk_lexicon import Lexicon, LexiconError
from analysis.safeguarding import default_detector
from analysis.textnorm import DATA

MUST_CATCH = yaml.safe_load((DATA / "safeguarding_must_catch.yaml").read_text(encoding="utf-8"))
PUNCTUATION = [".", "!", "!!", "?", "...", ",", " :(", " 😭", ""]


@pytest.fixture(scope="module")
def detector():
    return default_detector()


@pytest.mark.parametrize("entry", MUST_CATCH, ids=[e["text"] for e in MUST_CATCH])
def test_must_catch_phrase_is_flagged_with_its_category(detector, entry):
    result = detector.score(entry["text"])
    assert result.flag
    assert set(entry["categories"]) & set(result.categories), result.categories
    assert result.evidence


@st.composite
def disguised(draw) -> tuple[str, list[str]]:
    """A must-catch phrase with random case, extra spaces, punctuation and text around it."""
    entry = draw(st.sampled_from(MUST_CATCH))
    words = entry["text"].split()
    cased = ["".join(c.upper() if draw(st.booleans()) else c.lower() for c in w) for w in words]
    gaps = [draw(st.sampled_from([" ", "  ", "   ", " \n"])) for _ in cased[1:]]
    text = cased[0] + "".join(g + w for g, w in zip(gaps, cased[1:], strict=True))
    before = draw(st.sampled_from(["", "ngl ", "tbh. ", "idk how to say this but "]))
    return before + text + draw(st.sampled_from(PUNCTUATION)), entry["categories"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disguised())
def test_must_catch_survives_case_spacing_and_punctuation(case):
    text, categories = case
    result = default_detector().score(text)
    assert result.flag, text
    assert set(categories) & set(result.categories), (text, result.categories)


def test_must_catch_under_every_combination_of_case_spacing_prefix_and_punctuation(detector):
    variants, expected = [], []
    for entry in MUST_CATCH:
        words = entry["text"].split()
        for before, after, case, gap in itertools.product(
            ["", "ngl ", "tbh. ", "idk how to say this but "],
            PUNCTUATION,
            [str.lower, str.upper],
            [" ", "  "],
        ):
            variants.append(before + gap.join(case(w) for w in words) + after)
            expected.append(set(entry["categories"]))
    results = detector.score_many(variants)
    missed = [
        v
        for v, r, want in zip(variants, results, expected, strict=True)
        if not (r.flag and want & set(r.categories))
    ]
    assert len(variants) > 7000 and missed == []


@pytest.mark.parametrize(
    "text",
    [
        "k1ll myself",
        "s u i c i d e",
        "su1c1d3",
        "i want to d13",
        "k*ll myself",
        "$elf h@rm",
        "self harmmmm",
        "i wanna kms 💊💊",
        "unal1ve",
        "sucidal",
        "my step-dad h1ts me",
    ],
)
def test_leetspeak_spacing_and_misspelling_are_seen_through(detector, text):
    assert detector.score(text).flag, text


@pytest.mark.parametrize(
    "text",
    [
        "this survey is killing me lol",
        "I'd die for a better bus",
        "my mam hits the gym",
        "im dead 😂",
        "dead good youth club",
        "my mam will kill me if im late back for tea",
        "there should be more lessons about county lines in school",
        "nobody hurts me at home",
        "i dont self harm or anything",
        "4",
        "b",
        "hi",
        "/start_survey",
    ],
)
def test_ordinary_text_and_idioms_pass(detector, text):
    result = detector.score(text)
    assert not result.flag, result.evidence


@pytest.mark.parametrize(
    "text",
    # "i killed it in my exams": at the recall-first threshold the classifier may raise it
    # for review (score about 0.05), but the child never gets the crisis reply for it.
    ["i feel safe at home", "nobody hits me", "im not suicidal", "i killed it in my exams"],
)
def test_reassurance_never_gets_the_crisis_reply(detector, text):
    # Recall first: the classifier may still raise these for a person to review.
    assert not detector.score(text).respond


def test_negation_does_not_hide_a_disclosure_beside_it(detector):
    assert not detector.score("nobody hits me").respond
    assert detector.score("nobody knows he hits me").flag
    assert detector.score("i dont want to live anymore").flag


def test_past_events_are_still_flagged_and_marked_past(detector):
    result = detector.score("i used to cut myself when i was younger but im ok now")
    assert result.flag and result.past
    assert not detector.score("my stepdad hits me").past


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02", "😀" * 500, b"\xff\xfe binary"])
def test_bad_input_is_safe(detector, bad):
    assert detector.score(bad).flag is False


def test_a_disclosure_at_the_end_of_a_huge_text_is_found(detector):
    text = "the buses are fine and the park is nice. " * 3000 + "my dad hits me"
    assert len(text) > 100_000
    assert detector.score(text).flag


def test_classify_reports_bad_lines_and_goes_on():
    lines = [
        '{"id": 1, "text": "i want to die"}',
        "not json",
        "[1, 2]",
        '{"id": 2}',
        '{"text": "no id"}',
        "",
        '{"id": "b", "text": "more buses"}',
    ]
    out = list(classify_lines(lines))
    bad = [(r.line, r.reason) for r in out if isinstance(r, BadLine)]
    good = [r for r in out if not isinstance(r, BadLine)]
    assert [line for line, _ in bad] == [2, 3, 4, 5]
    assert [r["id"] for r in good] == [1, "b"]
    assert good[0]["safeguarding"]["flag"] is True
    assert good[0]["safeguarding"]["category"] == "suicide"
    assert good[1]["safeguarding"] == {
        "flag": False,
        "category": None,
        "categories": [],
        "evidence": [],
        "past": False,
        "respond": False,
    }


def test_a_malformed_lexicon_is_a_clear_error(tmp_path: Path):
    with pytest.raises(LexiconError, match="bad phrase"):
        Lexicon(
            {"version": "x", "categories": {"suicide": ["(unclosed"]}, "negators": [], "light": []}
        )
    with pytest.raises(LexiconError, match="missing or has a malformed section"):
        Lexicon({"version": "x"})
