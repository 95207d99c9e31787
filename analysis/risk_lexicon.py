"""The safeguarding lexicon: curated phrases compiled to regular expressions over squeezed text.

See analysis/data/safeguarding_lexicon.yaml for the phrase syntax. Matching works on token
strings (words joined by single spaces), so a match maps back to words of the normalised text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import re2
import yaml
from rapidfuzz.distance import Levenshtein

from analysis.textnorm import BOUNDARY, DATA, normalise, squeeze

LEXICON_PATH = DATA / "safeguarding_lexicon.yaml"
NEGATION_WINDOW = 6  # light words allowed between a negator and the phrase it negates
NEAR_MISS_CACHE = 65536  # words whose fuzzy match is remembered
# RE2's memory budget for one pattern set. At RE2's default (8 MiB) the ~600 rules' program
# leaves too little for its DFA cache, which is then thrown away and rebuilt within a text:
# 56 us a text. With room for the states answers actually reach (about 26 MiB) the same
# check takes 2-3 us, with the same matches. RE2 allocates only what it uses.
RE2_MAX_MEM = 64 << 20


class LexiconError(ValueError):
    """The lexicon file is malformed (reported with the phrase at fault)."""


@dataclass(frozen=True)
class Hit:
    category: str
    rule: str
    match: str  # the words of the normalised text that matched
    past: bool
    kind: str = "hit"  # hit | negated | excluded (the last two only from `scan`)


def _translate(phrase: str, macros: dict[str, str]) -> str:
    """Phrase syntax -> regular expression (before squeezing)."""
    out = phrase.strip()
    out = re.sub(r"\{([A-Z_]+)\}", lambda m: macros[m.group(1)], out)
    out = re.sub(r"^\^ ", r"(?:(?<=^ )|(?<=\\| ))", out)  # "^ help me $": the whole clause
    out = re.sub(r" \$$", r"(?=(?: emoji_[a-z_]+)* (?:\\||$))", out)  # emoji may follow
    out = re.sub(r"^\[([^\]]+)\] ", r"(?:(?:\1) )?", out)
    out = re.sub(r" \[([^\]]+)\]", r"(?: (?:\1))?", out)
    out = re.sub(r"\((?!\?)", "(?:", out)
    out = re.sub(r"(?<=[a-z])\*", "[a-z_]*", out)
    out = re.sub(r" ~(\d) ", lambda m: f"(?: [^ |]+){{0,{m.group(1)}}} ", out)
    return squeeze(out)


def _compile(phrase: str, macros: dict[str, str]) -> re.Pattern[str]:
    try:
        return re.compile(rf"(?<= ){_translate(phrase, macros)}(?= )")
    except (re.error, KeyError) as exc:
        raise LexiconError(f"bad phrase {phrase!r}: {exc}") from exc


def _prefilter_form(pattern: re.Pattern[str]) -> str:
    """A lookaround-free pattern for RE2 that matches wherever `pattern` does (and perhaps a
    little more): the leading space is consumed instead of looked behind, clause anchors and
    trailing lookaheads are dropped. It only picks the rules worth running."""
    body = pattern.pattern.removeprefix("(?<= )").removesuffix("(?= )")
    body = body.replace(r"(?:(?<=^ )|(?<=\| ))", "")
    body = body.replace(r"(?=(?: emoji_[a-z_]+)* (?:\||$))", "")
    return " " + body


class PatternSet:
    """Compiled patterns behind one RE2 pre-check: `candidates(text)` runs a single RE2 pass
    and returns, in their original order, only the patterns that can match."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self.patterns = patterns
        options = re2.Options()
        options.max_mem = RE2_MAX_MEM
        self._set = re2.Set.SearchSet(options)
        for pattern in patterns:
            if self._set.Add(_prefilter_form(pattern)) < 0:
                raise LexiconError(f"pattern cannot be pre-checked: {pattern.pattern!r}")
        self._set.Compile()

    def indices(self, text: str) -> list[int]:
        return sorted(self._set.Match(text) or ()) if self.patterns else []

    def candidates(self, text: str) -> list[re.Pattern[str]]:
        return [self.patterns[i] for i in self.indices(text)]


def _alternation(entries: list[str]) -> str:
    return "(?:" + "|".join(sorted(entries, key=len, reverse=True)) + ")"


class Lexicon:
    """Compiled phrases per category, with exclusions, negation and past markers."""

    def __init__(self, data: dict):
        try:
            self.version = str(data["version"])
            macros = {k: _alternation(v) for k, v in data.get("macros", {}).items()}
            # (category, phrase, pattern, the phrase's own words: a negator among them is
            # part of the phrase, as in "dont want to live", not a negation of it)
            self.rules = [
                (
                    cat,
                    phrase,
                    _compile(phrase, macros),
                    frozenset(re.findall(r"[a-z]+", squeeze(phrase))),
                )
                for cat, phrases in data["categories"].items()
                for phrase in phrases
            ]
            # One RE2 pass names the few rules that can match; only those run in full.
            self.rule_set = PatternSet([r[2] for r in self.rules])
            self.exclusions = PatternSet([_compile(p, macros) for p in data.get("exclusions", [])])
            self.past = PatternSet([_compile(p, macros) for p in data.get("past_markers", [])])
            self.urgent = PatternSet([_compile(p, macros) for p in data.get("urgent", [])])
            self.negators = {squeeze(str(w)) for w in data["negators"]}
            self.light = {squeeze(str(w)) for w in data["light"]}
            self.fuzzy = {k: v for k, v in data.get("fuzzy", {}).items()}
            self.not_fuzzy = set(data.get("not_fuzzy", []))
            self._near: dict[str, tuple[str, str] | None] = {}
        except (KeyError, TypeError, AttributeError) as exc:
            raise LexiconError(f"lexicon is missing or has a malformed section: {exc}") from exc

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    # ---------------------------------------------------------------- matching
    def hits(self, text: str) -> list[Hit]:
        """Every non-negated, non-excluded phrase found in `text`."""
        return [h for h in self.scan(text) if h.kind == "hit"]

    def scan(self, text: str) -> list[Hit]:
        """Every phrase found, including negated and excluded ones (marked by `kind`): the
        classifier learns from those too."""
        words = normalise(text).split(" ")
        if words == [""]:
            return []
        squeezed = [squeeze(w) for w in words]
        padded = " " + " ".join(squeezed) + " "
        past = any(p.search(padded) for p in self.past.candidates(padded))
        excluded = [
            m.span() for p in self.exclusions.candidates(padded) for m in p.finditer(padded)
        ]
        found: list[Hit] = []
        seen: set[tuple[str, str]] = set()
        cancelled: list[Hit] = []
        for category, rule, pattern, literal in (
            self.rules[i] for i in self.rule_set.indices(padded)
        ):
            for m in pattern.finditer(padded):
                first, last = _word_span(padded, m.start(), m.end())
                match = " ".join(words[first:last])
                if any(m.start() < end and start < m.end() for start, end in excluded):
                    cancelled.append(Hit(category, rule, match, past, "excluded"))
                    continue
                if self._negated(squeezed, first) or self._negated_inside(
                    squeezed[first:last], literal
                ):
                    cancelled.append(Hit(category, rule, match, past, "negated"))
                    continue
                if (category, match) not in seen:
                    seen.add((category, match))
                    found.append(Hit(category, rule, match, past))
        found += self._fuzzy_hits(words, squeezed, past, seen)
        found = [  # "hits me" adds nothing to "step dad hits me"
            h
            for h in found
            if not any(
                o.category == h.category and o.match != h.match and h.match in o.match
                for o in found
            )
        ]
        urgent = self.urgent.candidates(padded) if found else []
        if any(p.search(padded) for p in urgent):
            cue = next(p.search(padded) for p in urgent if p.search(padded))
            first, last = _word_span(padded, cue.start(), cue.end())
            cue_words = " ".join(words[first:last])
            if ("immediate_danger", cue_words) not in seen:
                found.append(Hit("immediate_danger", "urgent", cue_words, False))
        return found + cancelled

    def _negated(self, squeezed: list[str], first: int) -> bool:
        """A negator straight before word `first`, allowing a few light words between."""
        i, light_seen = first - 1, 0
        while i >= 0 and squeezed[i] != BOUNDARY:
            if squeezed[i] in self.negators:
                return True
            if squeezed[i] not in self.light or light_seen >= NEGATION_WINDOW:
                return False
            light_seen += 1
            i -= 1
        return False

    def _negated_inside(self, words: list[str], literal: frozenset[str]) -> bool:
        """A negator inside a gap of the phrase ('my brother doesnt hurt me')."""
        return any(w in self.negators and w not in literal for w in words)

    def _fuzzy_hits(self, words, squeezed, past, seen) -> list[Hit]:  # noqa: ANN001
        found = []
        for i, word in enumerate(words):
            near = self._near_miss(word)
            if near is None:
                continue
            target, category = near
            if not self._negated(squeezed, i) and (category, word) not in seen:
                seen.add((category, word))
                found.append(Hit(category, f"~{target}", word, past))
        return found

    def _near_miss(self, word: str) -> tuple[str, str] | None:
        """(target, category) when `word` is a misspelling of a fuzzy target ('sucidal'),
        remembered per word: answers reuse a small vocabulary."""
        if word in self._near:
            return self._near[word]
        near = None
        if len(word) >= 6 and word not in self.fuzzy and word not in self.not_fuzzy:
            for target, category in self.fuzzy.items():
                limit = 2 if len(target) >= 9 else 1
                if abs(len(word) - len(target)) > limit:
                    continue
                if Levenshtein.distance(word, target, score_cutoff=limit) <= limit:
                    near = (target, category)
                    break
        if len(self._near) >= NEAR_MISS_CACHE:
            self._near.clear()
        self._near[word] = near
        return near


def _word_span(padded: str, start: int, end: int) -> tuple[int, int]:
    """Character span in the padded token string -> [first, last) word indices."""
    first = padded.count(" ", 0, start) - 1
    last = first + len(padded[start:end].split())
    return first, last


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()
