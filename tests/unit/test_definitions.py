"""Survey definition schema: shipped files validate, bad files name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveys.definitions import (
    DEFINITIONS_DIR,
    SMS_LIMIT,
    DefinitionError,
    QuestionDef,
    SurveyDef,
    load_definition,
)
from surveys.models import QuestionType
from surveys.text import is_gsm7

SHIPPED = ["bmbf.yaml", "lac_form_a.yaml", "lac_form_b.yaml"]

# A small valid definition. Tests edit one line and check the reported line number.
BASE = """\
slug: demo
title: Demo survey
intro:
  web: Hello there
  sms: Hello there
outro:
  web: Thanks
  sms: Thanks
questions:
  - key: q1_mood
    type: scale
    text: How are you?
    scale: {min: 1, max: 5, low: bad, high: good}
  - key: q2_pick
    type: single
    text: Pick one
    options:
      - {value: a, label: Apple}
      - {value: b, label: Banana}
  - key: q3_more
    type: text
    text: Anything else?
"""
Q1_LINE, Q2_LINE, Q3_LINE = 10, 14, 20


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line containing `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} must appear on exactly one line, got {hits}"
    return hits[0]


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, f"{old!r} must appear exactly once"
    return text.replace(old, new)


def write(tmp_path: Path, content: str | bytes, name: str = "survey.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems_for(path: Path) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    problems = info.value.problems
    assert problems, "a DefinitionError must carry at least one problem"
    assert str(info.value) == "\n".join(problems)
    return problems


def only_problem(path: Path) -> str:
    problems = problems_for(path)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- valid files
def test_base_fixture_is_valid(tmp_path: Path) -> None:
    assert [line_of(BASE, f"key: q{n}_") for n in (1, 2, 3)] == [Q1_LINE, Q2_LINE, Q3_LINE]
    survey = load_definition(write(tmp_path, BASE))
    assert isinstance(survey, SurveyDef)
    assert [q.key for q in survey.questions] == ["q1_mood", "q2_pick", "q3_more"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_definition_validates(name: str) -> None:
    path = DEFINITIONS_DIR / name
    survey = load_definition(path)
    assert survey.slug == path.stem
    assert survey.questions
    keys = [q.key for q in survey.questions]
    assert len(keys) == len(set(keys))


def test_every_yaml_in_definitions_dir_validates() -> None:
    paths = sorted(DEFINITIONS_DIR.glob("*.yaml"))
    assert set(SHIPPED) <= {p.name for p in paths}
    for path in paths:
        assert load_definition(path).slug == path.stem


# ---------------------------------------------------------------- bad definitions
def test_unknown_question_key_reports_its_line(tmp_path: Path) -> None:
    text = edit("    text: Pick one\n", "    text: Pick one\n    colour: red\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    line = line_of(text, "colour: red")
    assert line == 17
    assert problem.startswith(f"{path}:17: ")
    assert "questions.1.colour" in problem
    assert "not permitted" in problem


def test_unknown_top_level_key_reports_its_line(tmp_path: Path) -> None:
    text = edit("title: Demo survey\n", "title: Demo survey\ncolour: red\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:3: ")
    assert "colour" in problem


def test_unknown_key_inside_an_inline_option_reports_its_line(tmp_path: Path) -> None:
    text = edit("{value: b, label: Banana}", "{value: b, label: Banana, colour: red}")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(text, 'colour: red')}:")
    assert "questions.1.options.1.colour" in problem


def test_scale_question_without_scale(tmp_path: Path) -> None:
    text = edit("    scale: {min: 1, max: 5, low: bad, high: good}\n", "")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{Q1_LINE}: ")
    assert "questions.0" in problem
    assert "scale question needs" in problem


def test_single_question_with_one_option(tmp_path: Path) -> None:
    text = edit("      - {value: b, label: Banana}\n", "")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{Q2_LINE}: ")
    assert "questions.1" in problem
    assert "at least 2 options" in problem


def test_scale_out_of_bounds_reports_the_scale_line(tmp_path: Path) -> None:
    text = edit("{min: 1, max: 5,", "{min: 1, max: 50,")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:13: ")
    assert "questions.0.scale.max" in problem


def test_unknown_question_type_reports_its_line(tmp_path: Path) -> None:
    text = edit("    type: text\n", "    type: essay\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line_of(text, 'type: essay')}: ")
    assert "questions.2.type" in problem


DUPLICATE = edit("key: q3_more", "key: q1_mood")


def test_duplicate_question_keys_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, DUPLICATE)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:")
    assert "'q1_mood' is used twice" in problem


def test_duplicate_question_keys_report_the_second_key_line(tmp_path: Path) -> None:
    path = write(tmp_path, DUPLICATE)
    assert only_problem(path).startswith(f"{path}:{Q3_LINE}:")


SKIP_LATER = edit(
    "    text: Pick one\n", "    text: Pick one\n    skip_if: {question: q3_more, any_of: [x]}\n"
)
SKIP_UNKNOWN = edit(
    "    text: Pick one\n", "    text: Pick one\n    skip_if: {question: q9_nope, any_of: [x]}\n"
)


@pytest.mark.parametrize(("text", "named"), [(SKIP_LATER, "q3_more"), (SKIP_UNKNOWN, "q9_nope")])
def test_skip_if_must_name_an_earlier_question(tmp_path: Path, text: str, named: str) -> None:
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:")
    assert "q2_pick" in problem
    assert "earlier question" in problem
    assert repr(named) in problem


@pytest.mark.parametrize("text", [SKIP_LATER, SKIP_UNKNOWN], ids=["later", "unknown"])
def test_skip_if_error_reports_the_question_or_skip_if_line(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    problem = only_problem(path)
    lines = {Q2_LINE, line_of(text, "skip_if:")}
    assert any(problem.startswith(f"{path}:{n}:") for n in lines), problem


def test_skip_if_naming_an_earlier_question_is_accepted(tmp_path: Path) -> None:
    text = edit(
        "    text: Anything else?\n",
        "    text: Anything else?\n    skip_if: {question: q2_pick, any_of: [a]}\n",
    )
    survey = load_definition(write(tmp_path, text))
    skip = survey.questions[2].skip_if
    assert skip is not None
    assert (skip.question, skip.any_of) == ("q2_pick", ["a"])


def _with_question_sms(sms: str) -> str:
    return edit("    text: Anything else?\n", f'    text: Anything else?\n    sms: "{sms}"\n')


def test_question_sms_of_exactly_160_chars_is_accepted(tmp_path: Path) -> None:
    survey = load_definition(write(tmp_path, _with_question_sms("x" * SMS_LIMIT)))
    assert SMS_LIMIT == 160
    assert len(survey.questions[2].sms) == 160


def test_question_sms_over_160_chars(tmp_path: Path) -> None:
    text = _with_question_sms("x" * 161)
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert line_of(text, '    sms: "') == 23
    assert problem.startswith(f"{path}:23: ")
    assert "questions.2.sms" in problem
    assert "160" in problem


@pytest.mark.parametrize(
    "sms",
    [
        "It\u2019s fine",  # curly apostrophe
        "\u201cQuoted\u201d",  # curly double quotes
        "Hi \U0001f600",  # emoji
        "1 \u2013 5",  # en dash
    ],
    ids=["curly-apostrophe", "curly-quotes", "emoji", "en-dash"],
)
def test_question_sms_must_be_gsm7(tmp_path: Path, sms: str) -> None:
    text = _with_question_sms(sms)
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:23: ")
    assert "questions.2.sms" in problem
    assert "GSM-7" in problem


def test_intro_sms_must_be_gsm7(tmp_path: Path) -> None:
    text = edit("  sms: Hello there\n", '  sms: "\u201cHello\u201d"\n')
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:5: ")
    assert "intro.sms" in problem
    assert "GSM-7" in problem


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("    text: Pick one\n", "    text: Pick one: [\n", 16),
        ("  - key: q3_more\n", "  - key: q3_more\n   bad indent: x\n", 21),
        ("    text: Anything else?\n", "\ttext: Anything else?\n", 22),
    ],
    ids=["colon-in-plain-scalar", "bad-indent", "tab"],
)
def test_malformed_yaml_reports_the_line(tmp_path: Path, old: str, new: str, line: int) -> None:
    path = write(tmp_path, edit(old, new))
    problem = only_problem(path)
    assert problem.startswith(f"{path}:{line}: invalid YAML: ")


@pytest.mark.parametrize(
    "content",
    ["", "\n\n", "# only a comment\n", "- a\n- b\n", "just a string\n", "42\n"],
    ids=["empty", "blank-lines", "comment-only", "list", "scalar", "number"],
)
def test_not_a_mapping(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, content)
    problem = only_problem(path)
    assert problem.startswith(f"{path}:1: ")
    assert "must be a YAML mapping" in problem


def test_binary_content_with_nul_byte(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.encode() + b"\x00\x01\x02")
    problem = only_problem(path)
    assert problem.startswith(f"{path}:1: ")
    assert "binary" in problem


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, edit("title: Demo survey", "title: Caf\u00e9 survey").encode("latin-1"))
    problem = only_problem(path)
    assert problem.startswith(f"{path}:1: ")
    assert "not UTF-8" in problem


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    problem = only_problem(path)
    assert problem.startswith(f"{path}: cannot read")


def test_several_problems_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    text = edit("    text: Pick one\n", "    text: Pick one\n    colour: red\n")
    text = edit("    type: text\n", "    type: essay\n", text)
    path = write(tmp_path, text)
    problems = problems_for(path)
    assert len(problems) == 2
    assert any(p.startswith(f"{path}:{line_of(text, 'colour: red')}:") for p in problems)
    assert any(p.startswith(f"{path}:{line_of(text, 'type: essay')}:") for p in problems)


# ---------------------------------------------------------------- the BMBF survey (§2.4)
BMBF = load_definition(DEFINITIONS_DIR / "bmbf.yaml")
S, SC, T, M, YN = (
    QuestionType.SINGLE,
    QuestionType.SCALE,
    QuestionType.TEXT,
    QuestionType.MULTI,
    QuestionType.YESNO,
)
BMBF_TYPES = [S, SC, SC, SC, SC, T, M, YN, SC, T, S, SC, SC, S, YN, SC, T, M, T]


def test_bmbf_has_19_questions_in_section_2_4_order() -> None:
    assert len(BMBF.questions) == 19
    assert [q.type for q in BMBF.questions] == BMBF_TYPES
    assert [q.key.split("_")[0] for q in BMBF.questions] == [f"q{n}" for n in range(1, 20)]


def test_bmbf_only_q13_has_an_extra_option() -> None:
    with_extras = {q.key: [o.value for o in q.extra_options] for q in BMBF.questions}
    assert {k: v for k, v in with_extras.items() if v} == {"q13_school": ["none"]}


def test_bmbf_scales_are_1_to_5_with_anchor_labels() -> None:
    for q in BMBF.questions:
        if q.type == QuestionType.SCALE:
            assert q.scale is not None
            assert (q.scale.min, q.scale.max) == (1, 5), q.key
            assert q.scale.low and q.scale.high, q.key


def test_bmbf_option_counts_and_exclusive_answers() -> None:
    by_key = {q.key: q for q in BMBF.questions}
    assert len(by_key["q1_age"].options) == 6
    assert len(by_key["q7_talk_to"].options) == 7
    assert len(by_key["q11_least_safe"].options) == 7
    assert len(by_key["q14_priority"].options) == 8
    assert len(by_key["q18_groups"].options) == 4
    assert by_key["q7_talk_to"].exclusive == ["no_one"]
    assert by_key["q18_groups"].exclusive == ["none"]
    assert by_key["q18_groups"].optional is True


@pytest.mark.parametrize("q", BMBF.questions, ids=lambda q: q.key)
def test_bmbf_question_sms_fits_one_gsm7_segment(q: QuestionDef) -> None:
    n = BMBF.questions.index(q) + 1
    assert q.sms, f"{q.key} has no SMS wording"
    assert q.sms.startswith(f"Q{n} ")
    assert len(q.sms) <= 160
    assert is_gsm7(q.sms)


@pytest.mark.parametrize("part", ["intro", "outro"])
def test_bmbf_intro_and_outro_sms_fit_one_gsm7_segment(part: str) -> None:
    sms = getattr(BMBF, part).sms
    assert 0 < len(sms) <= 160
    assert is_gsm7(sms)


def test_own_name_belongs_to_text_questions(tmp_path: Path) -> None:
    text = edit("    type: scale\n", "    type: scale\n    own_name: true\n")
    problem = only_problem(write(tmp_path, text))
    assert "own_name belongs to text questions" in problem


def test_breakdown_belongs_to_choice_questions(tmp_path: Path) -> None:
    text = edit("    type: scale\n", "    type: scale\n    breakdown: age_band\n")
    problem = only_problem(write(tmp_path, text))
    assert "breakdown belongs to single and multi questions" in problem


def test_shipped_surveys_mark_breakdowns_and_own_names() -> None:
    bmbf = load_definition(DEFINITIONS_DIR / "bmbf.yaml")
    marks = {q.key: q.breakdown for q in bmbf.questions if q.breakdown}
    assert marks == {"q1_age": "age_band", "q18_groups": "group"}
    form_a = load_definition(DEFINITIONS_DIR / "lac_form_a.yaml")
    assert [q.key for q in form_a.questions if q.own_name] == ["a1_name"]
