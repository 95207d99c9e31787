"""Tolerant answer parsing against the real option specs of the BMBF survey (bmbf.yaml).

Cases made with `fixed(...)` were parser bugs found by these tests; they stay as regressions.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from surveys.definitions import DEFINITIONS_DIR, QuestionDef, as_spec, load_definition
from surveys.models import QuestionType
from surveys.parsing import Parsed, parse_answer

BMBF = load_definition(DEFINITIONS_DIR / "bmbf.yaml")
QUESTIONS: dict[str, QuestionDef] = {q.key: q for q in BMBF.questions}

# No example database: tests must not write .hypothesis/ into the repository.
PROPERTY = settings(
    database=None,
    deadline=None,
    max_examples=150,
)


def parse(key: str, text: str) -> Parsed:
    q = QUESTIONS[key]
    return parse_answer(q.type, text, as_spec(q))


def values(key: str) -> list[str]:
    return [o.value for o in QUESTIONS[key].options]


def fixed(*args: object, reason: str) -> object:
    """A case the parser once got wrong (the reason says how): a regression test now."""
    return pytest.param(*args)


def keys_of(qtype: QuestionType) -> list[str]:
    return [q.key for q in BMBF.questions if q.type == qtype]


SCALE_KEYS = keys_of(QuestionType.SCALE)
SINGLE_KEYS = keys_of(QuestionType.SINGLE)


def test_bmbf_has_the_question_keys_these_tests_use() -> None:
    used = {
        "q1_age",
        "q2_happy",
        "q7_talk_to",
        "q8_trusted_adult",
        "q9_listened_to",
        "q11_least_safe",
        "q13_school",
        "q14_priority",
        "q15_mh_help",
        "q18_groups",
        "q6_cope",
    }
    assert used <= set(QUESTIONS)
    assert SINGLE_KEYS == ["q1_age", "q11_least_safe", "q14_priority"]
    assert QUESTIONS["q7_talk_to"].exclusive == ["no_one"]


# ---------------------------------------------------------------- scale
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", 4),
        ("four", 4),
        ("4!!", 4),
        ("defo 4", 4),
        ("😀", 5),
        ("4/5", 4),
        ("4 / 5", 4),
        ("4 out of 5", 4),
        ("4 outta 5", 4),
        ("4 out of 5!", 4),
        ("id say 4", 4),
        ("i'd say 4", 4),
        ("I’d say 4", 4),
        ("  3 ", 3),
        ("3\n", 3),
        ("FIVE", 5),
        ("five!", 5),
        ("two", 2),
        ("1", 1),
        ("5!!!!!", 5),
        ("4.", 4),
        ("4?", 4),
        ("its a 4", 4),
        ("it's a 4", 4),
        ("prob a 4 tbh", 4),
        ("like a 3", 3),
        ("about a 3 i guess", 3),
        ("4 lol", 4),
        ("4 x", 4),
        ("maybe 4?", 4),
        ("5 5 5", 5),
        ("4 😀", 4),  # a digit wins over a face
        ("😢", 1),
        ("🙁", 2),
        ("😐", 3),
        ("🙂", 4),
        ("😀😁", 5),  # two faces that mean the same score
        ("very happy", 5),
        ("Very Happy!!", 5),
        ("Not at all", 1),
        fixed("5 (very happy)", 5, reason="echoing the SMS anchor '5 (very happy)' is rejected"),
        fixed("1 (not at all)", 1, reason="echoing the SMS anchor '1 (not at all)' is rejected"),
        fixed("5 very happy", 5, reason="a number followed by its own anchor label is rejected"),
        fixed("four out of five", 4, reason="'N out of M' is only understood with digits"),
    ],
)
def test_scale_accepts(text: str, expected: int) -> None:
    assert parse("q2_happy", text) == Parsed(True, expected)


@pytest.mark.parametrize(
    "text",
    [
        "6",
        "0",
        "10",
        "3 or 4",
        "3.5",
        "1 2 3 4 5",
        "4/10",
        "4 out of 10",
        "i hate school 2 much",
        "i feel good for now",  # 'for' only counts as 4 on its own
        "",
        "   ",
        "asdf",
        "n",  # the N for 'none of these' belongs to Q13 only
        "🙂😭",
        "😀 😭",
    ],
)
def test_scale_rejects(text: str) -> None:
    assert parse("q2_happy", text) == Parsed(False)


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("q9_listened_to", "never", 1),
        ("q9_listened_to", "Always!", 5),
        ("q13_school", "3", 3),
        ("q13_school", "really well", 5),
        ("q13_school", "really badly", 1),
        ("q13_school", "n", "none"),
        ("q13_school", "N", "none"),
        ("q13_school", "N.", "none"),
        ("q13_school", "None of these", "none"),
        ("q13_school", "none", "none"),
        ("q13_school", "n/a", "none"),
        ("q16_influence", "a lot", 5),
        ("q5_future", "very worried", 1),
    ],
)
def test_scale_anchor_labels_and_extra_options(key: str, text: str, expected: object) -> None:
    assert parse(key, text) == Parsed(True, expected)


@pytest.mark.parametrize("key", SCALE_KEYS)
@pytest.mark.parametrize("text", ["i hate school 2 much", "6", "0", "🙂😭", "", "asdf"])
def test_every_scale_question_rejects_non_answers(key: str, text: str) -> None:
    assert parse(key, text) == Parsed(False)


@PROPERTY
@given(
    key=st.sampled_from(SCALE_KEYS),
    data=st.data(),
    before=st.text(alphabet=" \t\n!?.,;:…", max_size=4),
    after=st.text(alphabet=" \t\n!?.,;:…", max_size=4),
)
def test_property_scale_number_with_noise(
    key: str, data: st.DataObject, before: str, after: str
) -> None:
    scale = QUESTIONS[key].scale
    assert scale is not None
    n = data.draw(st.integers(scale.min, scale.max), label="n")
    assert parse(key, f"{before}{n}{after}") == Parsed(True, n)


# ---------------------------------------------------------------- single choice
@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("q11_least_safe", "b", "school_college"),
        ("q11_least_safe", "B)", "school_college"),
        ("q11_least_safe", "(b)", "school_college"),
        ("q11_least_safe", "b.", "school_college"),
        ("q11_least_safe", "B:", "school_college"),
        ("q11_least_safe", "B school", "school_college"),
        ("q11_least_safe", "b) school", "school_college"),
        ("q11_least_safe", "school", "school_college"),
        ("q11_least_safe", "college", "school_college"),
        ("q11_least_safe", "School or college", "school_college"),
        ("q11_least_safe", "A", "home"),
        ("q11_least_safe", "a) home", "home"),
        ("q11_least_safe", "at home", "home"),
        ("q11_least_safe", "on the bus", "buses"),
        ("q11_least_safe", "social media", "online"),
        ("q11_least_safe", "the park", "area"),
        ("q11_least_safe", "i feel safe everywhere", "safe_everywhere"),
        ("q11_least_safe", "nowhere", "safe_everywhere"),
        ("q11_least_safe", "G", "rather_not_say"),
        ("q11_least_safe", "prefer not to say", "rather_not_say"),
        ("q1_age", "b", "13-14"),
        ("q1_age", "B)", "13-14"),
        ("q1_age", "(b)", "13-14"),
        ("q1_age", "b.", "13-14"),
        ("q1_age", "13", "13-14"),
        ("q1_age", "14!", "13-14"),
        ("q1_age", "im 14", "13-14"),
        ("q1_age", "I'm 13", "13-14"),
        ("q1_age", "13 years old", "13-14"),
        ("q1_age", "fourteen", "13-14"),
        ("q1_age", "13-14", "13-14"),
        ("q1_age", "11", "11-12"),
        ("q1_age", "twelve", "11-12"),
        ("q1_age", "16", "15-16"),
        ("q1_age", "19 ", "17-19"),
        ("q1_age", "21", "20-25"),
        ("q1_age", "25", "20-25"),
        ("q1_age", "f)", "rather_not_say"),
        ("q1_age", "Rather not say", "rather_not_say"),
        ("q14_priority", "b", "jobs"),
        ("q14_priority", "B)", "jobs"),
        ("q14_priority", "(b)", "jobs"),
        ("q14_priority", "b.", "jobs"),
        ("q14_priority", "H", "other"),
        ("q14_priority", "c buses", "buses"),
        ("q14_priority", "school", "school"),
        ("q14_priority", "college", "school"),
        ("q14_priority", "more jobs", "jobs"),
        ("q14_priority", "youth club", "places_to_go"),
        ("q14_priority", "mental health", "mental_health"),
        ("q14_priority", "mh", "mental_health"),
        ("q14_priority", "cost of living", "money"),
        ("q14_priority", "something else", "other"),
    ],
)
def test_single_accepts(key: str, text: str, expected: str) -> None:
    assert parse(key, text) == Parsed(True, expected)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("q11_least_safe", "z"),
        ("q11_least_safe", "h"),  # only A-G exist
        ("q11_least_safe", "home and online"),
        ("q11_least_safe", "home and school"),
        ("q11_least_safe", "bus and online"),
        ("q11_least_safe", ""),
        ("q11_least_safe", "   "),
        ("q11_least_safe", "asdf"),
        ("q1_age", "z"),
        ("q1_age", "g"),
        ("q1_age", "B school"),  # 'school' names no age band
        ("q1_age", "school"),
        ("q1_age", "10"),
        ("q1_age", "26"),
        ("q1_age", "0"),
        ("q1_age", ""),
        ("q14_priority", "i"),  # only A-H exist
        ("q14_priority", "jobs and money"),
        ("q14_priority", "home and online"),
        ("q14_priority", ""),
        fixed(
            "q14_priority",
            "B school",
            reason="letter B (jobs) and the word 'school' (E) conflict; parser guesses school",
        ),
    ],
)
def test_single_rejects(key: str, text: str) -> None:
    assert parse(key, text) == Parsed(False)


@PROPERTY
@given(
    key=st.sampled_from(SINGLE_KEYS),
    data=st.data(),
    upper=st.booleans(),
    suffix=st.sampled_from(["", ")", "."]),
    pad=st.sampled_from(["", " ", "  "]),
)
def test_property_single_letter_any_case(
    key: str, data: st.DataObject, upper: bool, suffix: str, pad: str
) -> None:
    options = values(key)
    i = data.draw(st.integers(0, len(options) - 1), label="i")
    letter = chr(ord("A" if upper else "a") + i)
    assert parse(key, f"{pad}{letter}{suffix}{pad}") == Parsed(True, options[i])


# ---------------------------------------------------------------- multi choice
Q7 = "q7_talk_to"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a c", ["family", "teacher"]),
        ("A, C", ["family", "teacher"]),
        ("A,C", ["family", "teacher"]),
        ("ac", ["family", "teacher"]),
        ("ac.", ["family", "teacher"]),
        ("a and c", ["family", "teacher"]),
        ("a;c", ["family", "teacher"]),
        ("a & c", ["family", "teacher"]),
        ("a/c", ["family", "teacher"]),
        ("c a", ["family", "teacher"]),  # option order, not typing order
        ("b,a", ["family", "friend"]),
        ("a a c", ["family", "teacher"]),  # duplicates collapse
        ("a c c", ["family", "teacher"]),
        ("a, c and f", ["family", "teacher", "online"]),
        ("cab", ["family", "friend", "teacher"]),
        ("abcdef", values(Q7)[:6]),
        ("a,b,c,d,e,f", values(Q7)[:6]),
        ("g", ["no_one"]),
        ("G", ["no_one"]),
        ("no one", ["no_one"]),
        ("No one", ["no_one"]),
        ("nobody", ["no_one"]),
        ("noone lol", ["no_one"]),
        ("Family", ["family"]),
        ("A friend", ["friend"]),
        ("A teacher", ["teacher"]),
        ("Someone online", ["online"]),
        ("family and someone online", ["family", "online"]),
        ("someone online and family", ["family", "online"]),
        ("a friend and a teacher", ["friend", "teacher"]),
        ("A friend, a teacher", ["friend", "teacher"]),
        ("a youth worker and a teacher", ["teacher", "youth_or_social_worker"]),
        ("family, friends and teachers", ["family", "friend", "teacher"]),
        ("mum and online", ["family", "online"]),
        ("my mum and my mate", ["family", "friend"]),
        ("my mum and a teacher", ["family", "teacher"]),
        ("nan and grandad", ["family"]),
        ("my social worker", ["youth_or_social_worker"]),
        fixed(
            "a friend and my mum",
            ["family", "friend"],
            reason="leading 'a' is read as letter A and the friend is silently dropped",
        ),
        fixed(
            "a carer and my mum",
            ["family", "carer"],
            reason="leading 'a' is read as letter A and the carer is silently dropped",
        ),
    ],
)
def test_multi_accepts_q7(text: str, expected: list[str]) -> None:
    assert parse(Q7, text) == Parsed(True, expected)


@pytest.mark.parametrize(
    "text",
    [
        "a g",  # no one (exclusive) with someone
        "A C G",
        "ag",
        "ga",
        "a, g",
        "abcdefg",
        "family, no one",
        "no one and my mum",
        "h",  # only A-G exist
        "a h",
        "asdf",
        "",
        "   ",
    ],
)
def test_multi_rejects_q7(text: str) -> None:
    assert parse(Q7, text) == Parsed(False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a c", ["care_experienced", "send_disability"]),
        ("c a", ["care_experienced", "send_disability"]),
        ("A, B and C", ["care_experienced", "young_carer", "send_disability"]),
        ("b", ["young_carer"]),
        ("d", ["none"]),
        ("none", ["none"]),
        ("young carer", ["young_carer"]),
        ("i'm a young carer", ["young_carer"]),
        ("in care and disabled", ["care_experienced", "send_disability"]),
        ("looked after", ["care_experienced"]),
    ],
)
def test_multi_accepts_q18(text: str, expected: list[str]) -> None:
    assert parse("q18_groups", text) == Parsed(True, expected)


@pytest.mark.parametrize("text", ["a d", "d a", "ad", "e", ""])
def test_multi_rejects_q18(text: str) -> None:
    assert parse("q18_groups", text) == Parsed(False)


SEPARATORS = [" ", ",", ", ", " and "]


@PROPERTY
@given(
    chosen=st.sets(st.integers(0, 5), min_size=1),  # Q7 options A-F; G (no one) is exclusive
    data=st.data(),
)
def test_property_multi_letter_subsets(chosen: set[int], data: st.DataObject) -> None:
    options = values(Q7)
    assert options[6] == "no_one"
    order = data.draw(st.permutations(sorted(chosen)), label="order")
    letters = [chr(ord("A" if data.draw(st.booleans(), label="upper") else "a") + i) for i in order]
    text = letters[0]
    for letter in letters[1:]:
        text += data.draw(st.sampled_from(SEPARATORS), label="sep") + letter
    assert parse(Q7, text) == Parsed(True, [options[i] for i in sorted(chosen)])


# ---------------------------------------------------------------- yes / no / not sure
@pytest.mark.parametrize("key", ["q8_trusted_adult", "q15_mh_help"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ye", "yes"),
        ("yh", "yes"),
        ("yeah", "yes"),
        ("Y", "yes"),
        ("y.", "yes"),
        ("yes!", "yes"),
        ("Yes.", "yes"),
        ("YES", "yes"),
        ("yesss", "yes"),
        ("yesssss", "yes"),
        ("yeahhh", "yes"),
        ("Yeah!!", "yes"),
        ("yep", "yes"),
        ("yup", "yes"),
        ("ya", "yes"),
        ("aye", "yes"),
        ("yeah i do", "yes"),
        ("yes definitely", "yes"),
        ("yeah defo", "yes"),
        ("👍", "yes"),
        ("nah", "no"),
        ("Nah.", "no"),
        ("naw", "no"),
        ("N", "no"),
        ("n!", "no"),
        ("NO", "no"),
        ("nope", "no"),
        ("noooo", "no"),
        ("never", "no"),
        ("no not really", "no"),
        ("not really", "no"),
        ("nah mate", "no"),
        ("no i dont", "no"),
        ("👎", "no"),
        ("not sure", "not_sure"),
        ("NOT SURE", "not_sure"),
        ("Not sure!", "not_sure"),
        ("not sure tbh", "not_sure"),
        ("dunno", "not_sure"),
        ("idk", "not_sure"),
        ("maybe", "not_sure"),
        ("kinda", "not_sure"),
        ("no idea", "not_sure"),
        ("I don't know", "not_sure"),
        ("don’t know", "not_sure"),
        ("🤷", "not_sure"),
        fixed("nahh", "no", reason="'nahh' (and 'nahhh', squashed to 'nahh') is not a no-word"),
        fixed("nahhh", "no", reason="'nahhh' is squashed to 'nahh', which is not a no-word"),
        fixed("idk tbh", "not_sure", reason="'idk' is ignored inside a short phrase (len <= 3)"),
        fixed("idk lol", "not_sure", reason="'idk' is ignored inside a short phrase (len <= 3)"),
    ],
)
def test_yesno_accepts(key: str, text: str, expected: str) -> None:
    assert parse(key, text) == Parsed(True, expected)


@pytest.mark.parametrize("key", ["q8_trusted_adult", "q15_mh_help"])
@pytest.mark.parametrize(
    "text", ["purple", "", "   ", "yes and no", "yeah not really", "4", "asdf"]
)
def test_yesno_rejects(key: str, text: str) -> None:
    assert parse(key, text) == Parsed(False)


# ---------------------------------------------------------------- free text
@pytest.mark.parametrize("key", ["q6_cope", "q10_trusted_adult_qualities", "q19_anything_else"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I want the bullying to stop", "I want the bullying to stop"),
        ("  I want the bullying to stop \n", "I want the bullying to stop"),
        ("more youth clubs 🙏😀", "more youth clubs 🙏😀"),
        ("😭", "😭"),
        ("NO MORE BUSES BEING LATE!!!", "NO MORE BUSES BEING LATE!!!"),
        ("it’s “fine” – honestly", "it’s “fine” – honestly"),
        ("line one\nline two", "line one\nline two"),
        ("no", "no"),
        ("4", "4"),
    ],
)
def test_free_text_is_stored_as_typed(key: str, text: str, expected: str) -> None:
    assert parse(key, text) == Parsed(True, expected)


@pytest.mark.parametrize("text", ["", " ", "\n\t ", "\u3000"])
def test_free_text_empty_is_not_an_answer(text: str) -> None:
    assert parse("q6_cope", text) == Parsed(False)


# ---------------------------------------------------------------- never raises
UNICODE_DIGIT_BUG = (
    "str.isdigit() is true for '²' and '①' but int() rejects them: "
    "_match_options raised ValueError instead of returning ok=False"
)


def _every_question() -> list[object]:
    return [pytest.param(q.key, id=q.key) for q in BMBF.questions]


@pytest.mark.parametrize("key", _every_question())
@PROPERTY
@given(text=st.text())
@example(text="²")
@example(text="")
def test_property_parse_answer_never_raises(key: str, text: str) -> None:
    result = parse(key, text)
    assert isinstance(result, Parsed)
    assert result.ok is (result.value is not None)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        fixed("q1_age", "²", reason=UNICODE_DIGIT_BUG),
        fixed("q11_least_safe", "①", reason=UNICODE_DIGIT_BUG),
        fixed("q7_talk_to", "²", reason=UNICODE_DIGIT_BUG),
        fixed("q13_school", "²", reason=UNICODE_DIGIT_BUG),
        ("q2_happy", "²"),
        ("q8_trusted_adult", "²"),
    ],
)
def test_unicode_other_digits_are_rejected_not_raised(key: str, text: str) -> None:
    assert parse(key, text) == Parsed(False)
