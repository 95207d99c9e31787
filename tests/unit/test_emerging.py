"""Emerging themes: clusters of answers the taxonomy misses, with their terms and redacted
examples; small or empty inputs give nothing rather than an error."""

from __future__ import annotations

from analysis.emerging import FIT, MIN_ANSWERS, Unfitted, cluster, unfitted


def _lemmas(text: str) -> list[str]:
    return [w.strip(".,!?").lower() for w in text.split() if len(w) > 2]


def _items(texts: list[str], score: float = 0.0) -> list[Unfitted]:
    return [Unfitted(i, t, f"[redacted] {t}", score) for i, t in enumerate(texts)]


def test_two_topics_come_out_as_two_clusters_with_their_words():
    dogs = [
        "a dog park so my dog can run",
        "dog poo everywhere, more dog bins",
        "let dogs in the park again",
        "dog walking field near the estate",
        "people dont pick up after their dog",
        "dogs off leads scare me, dog wardens",
    ]
    wifi = [
        "free wifi in the library",
        "the wifi at the library is slow",
        "wifi on the buses and in town",
        "better wifi and phone signal",
        "free wifi in parks",
        "no wifi at home so i use the library wifi",
    ]
    found = cluster(_items(dogs + wifi), _lemmas)
    assert len(found) >= 2
    tops = [set(c.terms) for c in found]
    assert any({"dog", "dogs"} & t for t in tops) and any("wifi" in t for t in tops)
    assert all(e.startswith("[redacted]") for c in found for e in c.examples)
    assert sorted(i for c in found for i in c.answer_ids) == list(range(12))


def test_only_answers_that_fit_no_theme_are_clustered():
    items = _items(["a", "b"], score=FIT - 0.1) + _items(["c"], score=FIT + 0.1)
    assert [i.text for i in unfitted(items)] == ["a", "b"]


def test_too_few_or_wordless_answers_give_nothing():
    assert cluster(_items(["dog park"] * (MIN_ANSWERS - 1)), _lemmas) == []
    assert cluster(_items(["", "!!", "ok", "👍"] * 3), _lemmas) == []
    assert cluster(_items([f"word{n} other{n}" for n in range(10)]), _lemmas) == []
