"""Redaction: personal data never leaves in a quote, while places and ordinary words stay."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.redact import default_redactor, redact
from analysis.textnorm import DATA

CASES = [
    json.loads(line)
    for line in (DATA / "themes" / "redaction_cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[c["note"][:50] for c in CASES])
def test_redaction_case(case):
    assert redact(case["text"], case["known_names"]) == case["redacted"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i hope my sister Hope can visit", "i hope my sister [NAME] can visit"),
        (
            "will they ever fix the park? my mate will says no",
            "will they ever fix the park? my mate [NAME] says no",
        ),
        ("got a good mark in maths, mr Mark helped", "got a good mark in maths, mr [NAME] helped"),
        ("Stockton needs more buses, Thornaby too", "Stockton needs more buses, Thornaby too"),
        (
            "ring me on 07700 900123 or email kel.b@example.com",
            "ring me on [PHONE] or email [EMAIL]",
        ),
        ("call childline on 0800 1111", "call childline on 0800 1111"),
        ("i live at 14 acacia road TS18 1AB", "i live at [ADDRESS] [POSTCODE]"),
        ("my snap is jaybird_07", "my snap is [HANDLE]"),
        ("kayleigh from conyers school said hi", "[NAME] from [SCHOOL] said hi"),
    ],
)
def test_names_that_are_words_places_and_contact_details(text, expected):
    assert redact(text) == expected


def test_the_young_persons_own_names_always_go():
    text = "Barty here. barty likes football and BARTY hates the bus"
    assert redact(text, ["Barty"]) == "[NAME] here. [NAME] likes football and [NAME] hates the bus"


def test_empty_and_odd_input_is_safe():
    assert redact("") == ""
    assert redact("👍👍") == "👍👍"
    assert redact(
        "\x00\x01 binary \udcff junk".encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )


@settings(max_examples=150, deadline=None)
@given(
    before=st.text(max_size=60),
    after=st.text(max_size=60),
    digits=st.from_regex(r"07[0-9]{3} ?[0-9]{6}", fullmatch=True),
)
def test_a_mobile_number_never_survives_whatever_surrounds_it(before, after, digits):
    text = f"{before} {digits} {after}"
    assert digits not in redact(text)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_redacts_without_error_and_keeps_what_is_not_personal(text):
    found = default_redactor().find(text)
    out = redact(text)
    assert all(0 <= f.start < f.end <= len(text) for f in found)
    if not found:
        assert out == text


def test_every_gazetteer_school_and_name_is_redacted_in_a_plain_sentence():
    """The redactor skips its spaCy pass for texts without a key word: no school or name in
    the gazetteers may be missed because of that shortcut."""
    redactor = default_redactor()
    for entry in redactor.nlp.get_pipe("entity_ruler").patterns:
        label, pattern = entry["label"], entry["pattern"]
        sentence = (
            f"i went to {pattern.lower()} yesterday"
            if label == "SCHOOL"
            else (f"yesterday i saw {pattern.lower()} at the park")
        )
        out = redactor.redact(sentence)
        assert f"[{label if label == 'SCHOOL' else 'NAME'}]" in out, (pattern, out)
