"""How the safeguarding classifier's threshold is chosen on the dev split: recall first,
within the false-positive ceiling, and never a lower threshold than it needs."""

from __future__ import annotations

from analysis.labelled import Example
from analysis.risk_model import MAX_DEV_FALSE_POSITIVES, choose_threshold


def _dev(disclosure_scores: list[float], hard_scores: list[float]):
    dev = [Example(f"d{i}", "suicide", "disclosure") for i in range(len(disclosure_scores))]
    dev += [Example(f"h{i}", None, "hard_negative") for i in range(len(hard_scores))]
    return [*disclosure_scores, *hard_scores], [False] * len(dev), dev


def test_the_highest_threshold_that_keeps_the_target_recall():
    scores, lexicon, dev = _dev([0.9] * 90 + [0.32] * 10, [0.1] * 10)
    threshold, recall, fp = choose_threshold(scores, lexicon, dev)
    assert threshold == 0.3 and recall == 1.0 and fp == 0.0


def test_without_the_target_the_best_recall_within_the_ceiling():
    # one disclosure scores below every hard negative: reaching it would flag them all
    scores, lexicon, dev = _dev([0.9] * 40 + [0.01], [0.04] * 10)
    threshold, recall, fp = choose_threshold(scores, lexicon, dev)
    assert fp <= MAX_DEV_FALSE_POSITIVES
    assert recall == 40 / 41 and threshold == 0.9  # the highest at that recall


def test_the_lexicon_counts_towards_recall():
    scores, lexicon, dev = _dev([0.9] * 49 + [0.0], [0.0] * 10)
    lexicon[49] = True  # the lexicon catches the one the model misses
    threshold, recall, _ = choose_threshold(scores, lexicon, dev)
    assert recall == 1.0 and threshold == 0.9
