"""The taxonomy and the labelled answers: the agreed 19 codes, and data a model can learn from."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from analysis.taxonomy import CODES, PRINCIPLES, TAXONOMY_PATH, TaxonomyError, load, parse
from analysis.theme_data import LabelError, check, load_answers, split


@pytest.fixture(scope="module")
def taxonomy():
    return load()


def test_exactly_the_19_agreed_codes_each_fully_described(taxonomy):
    assert taxonomy.codes == CODES and len(CODES) == 19
    for theme in taxonomy.themes:
        assert theme.name and len(theme.definition) > 40, theme.code
        assert theme.seeds and len(theme.subthemes) >= 3, theme.code
        assert all(s.code.startswith(theme.code + ".") and s.seeds for s in theme.subthemes)
        assert theme.priorities, f"{theme.code} maps to no council priority"
        assert {p for p, _ in theme.principles} <= set(PRINCIPLES)


def test_the_principles_follow_the_digest_crosswalk(taxonomy):
    primary = {
        p: {t.code for t in taxonomy.themes if (p, "primary") in t.principles} for p in PRINCIPLES
    }
    assert primary["Resilience"] == {"MH", "ID"}
    assert primary["Relationships"] == {"ADULT", "FAM"}
    assert primary["Respect"] == {"VOICE", "PLACES"}
    assert primary["Response"] == {"SAFE", "HELP"}


def test_a_taxonomy_with_a_missing_or_extra_code_is_refused():
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    del data["themes"]["TRANS"]
    with pytest.raises(TaxonomyError, match="missing \\['TRANS'\\]"):
        parse(data)
    data = yaml.safe_load(TAXONOMY_PATH.read_text(encoding="utf-8"))
    data["themes"]["BUSES"] = data["themes"]["TRANS"]
    with pytest.raises(TaxonomyError, match="unexpected \\['BUSES'\\]"):
        parse(data)


def test_malformed_taxonomy_yaml_is_a_clear_error(tmp_path):
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text("themes: [unclosed\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid YAML"):
        load(bad)


def test_every_theme_has_at_least_40_labelled_answers_and_each_split_covers_it():
    answers = load_answers()
    counts = Counter(code for a in answers for code in a.themes)
    assert min(counts[c] for c in CODES) >= 40, counts
    assert sum(len(a.themes) > 1 for a in answers) / len(answers) > 0.25  # multi-label
    for name in ("train", "dev", "test"):
        part = Counter(code for a in split(answers, name) for code in a.themes)
        assert min(part[c] for c in CODES) >= 5, (name, part)


def test_the_split_is_fixed_by_the_text():
    answers = load_answers()
    again = load_answers()
    assert [a.split for a in answers] == [a.split for a in again]
    assert (
        len({a.text for a in split(answers, "test")} & {a.text for a in split(answers, "train")})
        == 0
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {
                "text": "x",
                "themes": ["BUS"],
                "subthemes": [],
                "valence": "neutral",
                "suggestion": False,
            },
            "unknown code",
        ),
        (
            {
                "text": "x",
                "themes": [],
                "subthemes": ["TRANS.cost"],
                "valence": "neutral",
                "suggestion": False,
            },
            "without their theme",
        ),
        (
            {"text": "x", "themes": [], "subthemes": [], "valence": "angry", "suggestion": False},
            "valence",
        ),
        (
            {"text": "", "themes": [], "subthemes": [], "valence": "neutral", "suggestion": False},
            "non-empty text",
        ),
        ("just a string", "expected an object"),
    ],
)
def test_bad_labelled_lines_are_refused_with_their_place(taxonomy, row, message):
    with pytest.raises(LabelError, match=message) as err:
        check(row, taxonomy, "answers_x.jsonl:7")
    assert str(err.value).startswith("answers_x.jsonl:7")
