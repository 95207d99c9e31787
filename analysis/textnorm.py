"""Text normalisation for matching what young people type: case, emoji, leetspeak, spacing.

`normalise` keeps words readable ("k1ll mysellf" -> "kill mysellf"); `squeeze` then collapses
repeated letters ("mysellf" -> "myself", "killll" -> "kil") so that lexicon phrases, squeezed the
same way, match however a word was stretched. The raw text is always kept by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
NORMALISED_CACHE = 1024  # at least analysis.classify.BATCH
BOUNDARY = "|"  # stands for a clause break (. ! ? ; ,); a new line is only a space

_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
    }
)
_NUMBER_WITH_UNIT = re.compile(r"\d+(?:[.,]\d+)?(?:mg|g|ml|am|pm|k|st|nd|rd|th|s|yrs?|x|p)?")
_LEET_CHARS = set("013457@$!|")
_SEPARATED_LETTERS = re.compile(r"(?<![\w])(?:[a-z0-9@$][.\-_*~]){2,}[a-z0-9@$](?![\w])")
_WORD = re.compile(r"[a-z0-9@$!*|_]+|[.!?;,]+")
_SPACED_RUN = re.compile(r"(?<!\S)(?:\S )+\S(?!\S)")  # "d a d": single characters, one space
_REPEATED_LETTERS = re.compile(r"([a-z])\1+")
_APOSTROPHES = re.compile(r"(?<=[a-z])['’‘`](?=[a-z])")


@lru_cache(maxsize=1)
def _textspeak() -> dict:
    """analysis/data/textspeak.yaml, read once."""
    return yaml.safe_load((DATA / "textspeak.yaml").read_text(encoding="utf-8"))


def _emoji(text: str) -> str:
    if text.isascii():
        return text  # nothing to translate or drop: most answers
    emoji = _textspeak()["emoji"]
    out = []
    for ch in text:
        if ch in emoji:
            out.append(f" {emoji[ch]} ")
        elif unicodedata.category(ch) in {"So", "Sk", "Cs", "Co", "Mn", "Cf"}:
            out.append(" ")  # other symbols, modifiers and joiners carry no words
        else:
            out.append(ch)
    return "".join(out)


def _deleet(token: str) -> str:
    """'k1ll' -> 'kill', '$uicide' -> 'suicide'; numbers ('800mg', '4am') are left alone."""
    if _NUMBER_WITH_UNIT.fullmatch(token) or not any(c.isalpha() for c in token):
        return token
    if not any(c in _LEET_CHARS for c in token):
        return token
    return token.translate(_LEET)


def _join_spaced_letters(tokens: list[str]) -> list[str]:
    """'s u i c i d e' -> 'suicide': runs of three or more single characters become a word."""
    out: list[str] = []
    run: list[str] = []
    for tok in [*tokens, ""]:
        if len(tok) == 1 and (tok.isalnum() or tok in "@$"):
            run.append(tok)
            continue
        if len(run) >= 3:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if tok:
            out.append(tok)
    return out


def _uncensor(token: str) -> str:
    """'k*ll' -> 'kill', 'su*cide' -> 'suicide': a starred word that fits one known word."""
    if "*" not in token:
        return token
    bare = token.replace("*", "")
    if not bare:
        return ""
    pattern = re.compile(re.escape(token).replace(r"\*", "[a-z]{1,3}"))
    fits = [w for w in _textspeak()["censorable"] if pattern.fullmatch(w)]
    return fits[0] if len(fits) == 1 else bare


@lru_cache(maxsize=65536)
def _clean(token: str) -> str:
    """One token de-leeted and uncensored (cached: answers reuse a small vocabulary)."""
    return _uncensor(_deleet(token))


@lru_cache(maxsize=NORMALISED_CACHE)
def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, with BOUNDARY for clause breaks.

    Cached for one batch: `analyse classify` screens a batch for safeguarding, then themes it,
    and both normalise every answer."""
    words = _textspeak()["words"]
    t = unicodedata.normalize("NFKC", text or "")
    t = _emoji(t).lower()
    t = _APOSTROPHES.sub("", t)
    if any(len(m.group(0)) >= 5 for m in _SPACED_RUN.finditer(t)):
        # Spelled out letter by letter: words are the runs between wider gaps.
        t = _SPACED_RUN.sub(lambda m: m.group(0).replace(" ", ""), t)
    t = _SEPARATED_LETTERS.sub(lambda m: re.sub(r"[.\-_*~]", "", m.group(0)), t)
    tokens: list[str] = []
    for tok in _WORD.findall(t):
        if tok[0] in ".!?;,":
            tokens.append(BOUNDARY)
            continue
        core = _clean(tok.strip("_|").rstrip("!"))  # 'help!!' is a word and a clause break
        if core:
            tokens.append(core)
        if tok.endswith("!"):
            tokens.append(BOUNDARY)
    tokens = _join_spaced_letters(tokens)
    expanded: list[str] = []
    for tok in tokens:
        if tok == BOUNDARY and (not expanded or expanded[-1] == BOUNDARY):
            continue
        expanded.extend(words.get(tok, tok).split())
    while expanded and expanded[-1] == BOUNDARY:
        expanded.pop()
    return " ".join(expanded)


@lru_cache(maxsize=65536)
def squeeze(normalised: str) -> str:
    """Collapse repeated letters in every word ('killll' -> 'kil', 'soooo' -> 'so'). Cached:
    the lexicon squeezes every word of every text, from a small vocabulary."""
    return _REPEATED_LETTERS.sub(r"\1", normalised)
