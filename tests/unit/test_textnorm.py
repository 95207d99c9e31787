"""Text normalisation: what a young person typed, made matchable."""

from __future__ import annotations

import pytest

from analysis.textnorm import normalise, squeeze


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("K1LL myself!!", "kill myself"),
        ("s u i c i d e", "suicide"),
        ("s.u.i.c.i.d.e", "suicide"),
        ("d a d  h u r t s  m e", "dad hurts me"),
        ("k*ll", "kill"),
        ("I don’t want to", "i dont want to"),
        ("took 800mg at 4am", "took 800mg at 4am"),
        ("💊💊", "emoji_pill emoji_pill"),
        ("gonna kms rn", "going to kill myself right now"),
        ("hello. bye", "hello | bye"),
        ("", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_squeeze_collapses_stretched_words():
    assert squeeze("killllll myselfff") == squeeze("kill myself")
    assert squeeze("pleeeease") == "please"
