"""Training the theme pipeline: reproducible with its fixed seed, and officers' corrections
are learnt from (without inventing valence labels for them)."""

from __future__ import annotations

import pytest

from analysis import theme_train
from analysis.taxonomy import default_taxonomy
from analysis.theme_data import ThemeExample, load_answers, split
from analysis.theme_pipeline import SUGGESTION, VALENCE_POSITIVE, labels

SMALL_EPOCHS = 6


@pytest.fixture(scope="module")
def small():
    return split(load_answers(), "train")[:300]


def _scores(nlp, text: str) -> dict[str, float]:
    return dict(nlp(text).cats)


def test_the_same_data_trains_the_same_model(small):
    first = theme_train.train(small, epochs=SMALL_EPOCHS)
    second = theme_train.train(small, epochs=SMALL_EPOCHS)
    text = "the buses never come and my sw keeps changing"
    assert _scores(first, text) == _scores(second, text)


def test_officer_corrections_teach_the_model(small):
    text = "more recycling bins and litter picks please"
    corrections = [
        ThemeExample(
            f"{text} {n}", ("PLACES",), ("PLACES.outdoor_parks",), "", False, source="officer"
        )
        for n in range(12)
    ]
    before = theme_train.train(small, epochs=SMALL_EPOCHS)
    after = theme_train.train([*small, *corrections], epochs=SMALL_EPOCHS)
    assert _scores(after, text)["PLACES"] > _scores(before, text)["PLACES"] + 0.2


def test_officer_examples_leave_valence_and_suggestion_unlabelled():
    taxonomy = default_taxonomy()
    officer = ThemeExample("x", ("TRANS",), ("TRANS.cost",), "", False, source="officer")
    cats = theme_train._cats(officer, labels(taxonomy))
    assert cats["TRANS"] == 1.0 and cats["EDU"] == 0.0
    assert VALENCE_POSITIVE not in cats and SUGGESTION not in cats


def test_corrections_change_the_fingerprint_so_setup_retrains():
    officer = ThemeExample("x", ("TRANS",), ("TRANS.cost",), "", False, source="officer")
    assert theme_train.current_fingerprint([officer]) != theme_train.current_fingerprint()
