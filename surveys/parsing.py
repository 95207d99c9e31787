"""Tolerant answer parsing: what a young person types, turned into a stored value.

Each parser returns a Parsed; `ok=False` means "could not tell", never a guess.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from surveys.models import QuestionType

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "won": 1,
    "two": 2,
    "too": 2,
    "three": 3,
    "free": 3,
    "four": 4,
    "for": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# Words that sound like numbers but are common in sentences only count when alone.
_LOOSE_NUMBER_WORDS = {"won", "too", "free", "for"}

FACE_SCORES = {
    "😭": 1,
    "😢": 1,
    "😡": 1,
    "😠": 1,
    "😩": 1,
    "😫": 1,
    "💔": 1,
    "😞": 2,
    "🙁": 2,
    "☹": 2,
    "😕": 2,
    "😟": 2,
    "😔": 2,
    "👎": 2,
    "😐": 3,
    "😶": 3,
    "🤷": 3,
    "😑": 3,
    "🙂": 4,
    "😊": 4,
    "👍": 4,
    "😌": 4,
    "😀": 5,
    "😁": 5,
    "😃": 5,
    "😄": 5,
    "🥰": 5,
    "😍": 5,
    "🤩": 5,
    "❤": 5,
    "💯": 5,
}

YES_WORDS = {
    "y",
    "ye",
    "yes",
    "yeah",
    "yea",
    "yeh",
    "yh",
    "ya",
    "yep",
    "yup",
    "aye",
    "ok",
    "okay",
    "sure",
    "defo",
    "definitely",
    "course",
    "of course",
    "i do",
    "i have",
    "yas",
    "yess",
    "yesss",
    "yeahh",
    "correct",
    "true",
    "👍",
}
NO_WORDS = {
    "n",
    "no",
    "nah",
    "nahh",
    "naw",
    "nope",
    "na",
    "noo",
    "nooo",
    "never",
    "i dont",
    "i don't",
    "not really",
    "no way",
    "nae",
    "false",
    "👎",
}
NOT_SURE_WORDS = {
    "not sure",
    "notsure",
    "ns",
    "dunno",
    "dno",
    "idk",
    "i dont know",
    "i don't know",
    "dont know",
    "don't know",
    "unsure",
    "maybe",
    "possibly",
    "kinda",
    "sort of",
    "not sure tbh",
    "no idea",
    "idunno",
    "unsure tbh",
    "might",
    "perhaps",
    "🤷",
}
_INTENSIFIERS = {
    "defo",
    "deffo",
    "def",
    "prob",
    "probs",
    "probably",
    "like",
    "maybe",
    "about",
    "around",
    "its",
    "it's",
    "it",
    "is",
    "a",
    "an",
    "i",
    "id",
    "i'd",
    "say",
    "give",
    "umm",
    "um",
    "erm",
    "hmm",
    "well",
    "tbh",
    "honestly",
    "rn",
    "prolly",
    "lol",
    "haha",
    "ok",
    "so",
    "think",
    "guess",
    "reckon",
    "mostly",
    "would",
    "be",
    "out",
    "of",
    "then",
    "x",
    "xx",
}
_PUNCT = string.punctuation + "!?.,;:…’‘“”"


@dataclass(frozen=True)
class Parsed:
    ok: bool
    value: Any = None


FAIL = Parsed(False)


def normalise(text: str) -> str:
    """Lowercase, straight quotes, single spaces, trimmed of surrounding punctuation."""
    t = text.replace("’", "'").replace("‘", "'").lower().strip()
    t = re.sub(r"\s+", " ", t)
    return t.strip(_PUNCT + " ")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text)


def _phrase_in(phrase: str, text: str) -> bool:
    phrase = normalise(phrase)
    return bool(phrase) and re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text)


# ---------------------------------------------------------------- scale
def parse_scale(text: str, spec: dict[str, Any]) -> Parsed:
    """'4', 'four', '4!!', 'defo 4', '4/5', '😀', 'very happy' -> an int in range (or an extra)."""
    scale = spec.get("scale") or {}
    lo, hi = int(scale.get("min", 1)), int(scale.get("max", 5))
    t = normalise(text)
    extra = _match_options(t, spec.get("extra_options", []), letters=False)
    if len(extra) == 1:
        return Parsed(True, extra[0])
    faces = {FACE_SCORES[c] for c in text if c in FACE_SCORES}
    digits = " ".join(str(NUMBER_WORDS[w]) if w in NUMBER_WORDS else w for w in t.split(" "))
    out_of = re.fullmatch(r"(\d+)\s*(?:/|out of|outta|oo)\s*(\d+)", digits)
    if out_of and int(out_of.group(2)) == hi:
        n = int(out_of.group(1))
        return Parsed(True, n) if lo <= n <= hi else FAIL
    words = _words(t)
    numbers = [int(w) for w in words if w.isdigit()]
    numbers += [
        NUMBER_WORDS[w]
        for w in words
        if w in NUMBER_WORDS and (w not in _LOOSE_NUMBER_WORDS or len(words) == 1)
    ]
    if not numbers and not faces:
        for value, label in ((lo, scale.get("low")), (hi, scale.get("high"))):
            if label and normalise(label) == t:
                return Parsed(True, value)
        return FAIL
    candidates = set(numbers) | (faces if not numbers else set())
    if len(candidates) != 1:
        return FAIL
    n = candidates.pop()
    if not lo <= n <= hi:
        return FAIL
    anchors = set(_words(normalise(f"{scale.get('low', '')} {scale.get('high', '')}")))
    content = [
        w
        for w in words
        if not w.isdigit() and w not in NUMBER_WORDS and w not in _INTENSIFIERS | anchors
    ]
    if len(content) > 1:
        return FAIL  # a sentence that happens to contain a number is not a rating
    return Parsed(True, n)


# ---------------------------------------------------------------- choices
def letter(i: int) -> str:
    return string.ascii_uppercase[i]


def _option_phrases(opt: dict[str, Any]) -> list[str]:
    label = normalise(opt["label"])
    phrases = [label, normalise(opt["value"]), *[normalise(a) for a in opt.get("aliases", [])]]
    phrases += [p.strip() for p in re.split(r"/| or |,", label) if len(p.strip()) > 2]
    return [p for p in dict.fromkeys(phrases) if p]


def _age_range(value: str, n: int) -> bool:
    m = re.fullmatch(r"(\d+)\s*-\s*(\d+)", value.strip())
    return bool(m) and int(m.group(1)) <= n <= int(m.group(2))


def _match_options(t: str, options: list[dict[str, Any]], letters: bool = True) -> list[str]:
    """Values of the options the normalised text names, in option order."""
    if not options or not t:
        return []
    if letters:
        m = re.fullmatch(r"\(?([a-z])[).:]?(?:\s.*)?", t)
        if m and (len(t) == 1 or t[1] in ").: "):
            i = ord(m.group(1)) - ord("a")
            if 0 <= i < len(options):
                rest = t[2:].strip(_PUNCT + " ")
                named = _named_options(rest, options)
                if not rest or named == [options[i]["value"]]:
                    return [options[i]["value"]]
                if named and options[i]["value"] not in named and m.group(1) not in "ai":
                    return []  # "B school" when B is not school: a conflict, not a guess
    if t.isascii() and t.isdigit():
        ranged = [o["value"] for o in options if _age_range(o["value"], int(t))]
        if len(ranged) == 1:
            return ranged
    exact = [o["value"] for o in options if t in _option_phrases(o)]
    if exact:
        return exact[:1]
    return _named_options(t, options)


def _named_options(t: str, options: list[dict[str, Any]]) -> list[str]:
    """Values of the options whose label, value or alias appears in the text."""
    return [o["value"] for o in options if any(_phrase_in(p, t) for p in _option_phrases(o))]


def parse_single(text: str, spec: dict[str, Any]) -> Parsed:
    """'b', 'B)', '(b)', 'school', 'b school' -> one option value."""
    found = _match_options(normalise(text), spec.get("options", []))
    return Parsed(True, found[0]) if len(found) == 1 else FAIL


def parse_multi(text: str, spec: dict[str, Any]) -> Parsed:
    """'a c', 'A, C', 'ac', 'a and c', 'home and online' -> option values in option order."""
    options = spec.get("options", [])
    t = normalise(text)
    tokens = [x for x in re.split(r"[\s,;&+/]+|\band\b", t) if x]
    n = len(options)
    valid = {letter(i).lower() for i in range(n)}
    chosen: list[str] = []
    if tokens and all(len(x) == 1 and x in valid for x in tokens):
        chosen = [options[ord(x) - ord("a")]["value"] for x in tokens]
    elif (
        len(tokens) == 1
        and 1 < len(t) <= n
        and set(t) <= valid
        and len(set(t)) == len(t)
        and not any(t in _option_phrases(o) for o in options)
    ):
        chosen = [options[ord(x) - ord("a")]["value"] for x in t]
    if not chosen:
        chosen = _match_options(t, options)
    if not chosen:
        return FAIL
    order = [o["value"] for o in options]
    chosen = sorted(set(chosen), key=order.index)
    exclusive = set(spec.get("exclusive", []))
    if len(chosen) > 1 and exclusive & set(chosen):
        return FAIL
    return Parsed(True, chosen)


def parse_yesno(text: str, spec: dict[str, Any] | None = None) -> Parsed:
    """'ye', 'nah', 'not sure', 'Y', 'dunno' -> 'yes' | 'no' | 'not_sure'."""
    t = normalise(text)
    t = re.sub(r"(.)\1{2,}", r"\1\1", t)  # "yesssss" -> "yess"
    for words, value in ((NOT_SURE_WORDS, "not_sure"), (YES_WORDS, "yes"), (NO_WORDS, "no")):
        if t in words:
            return Parsed(True, value)
    first = t.split(" ", 1)[0] if t else ""
    if " " in t and len(t.split()) <= 4:
        if any(_phrase_in(w, t) for w in NOT_SURE_WORDS if " " in w or len(w) >= 3):
            return Parsed(True, "not_sure")
        if first in YES_WORDS and not (set(t.split()) & {"no", "nah", "not"}):
            return Parsed(True, "yes")
        if first in NO_WORDS:
            return Parsed(True, "no")
    return FAIL


def parse_answer(qtype: str, text: str, spec: dict[str, Any]) -> Parsed:
    """Dispatch on question type; free text is stored exactly as typed."""
    if qtype == QuestionType.TEXT:
        return Parsed(True, text.strip()) if text.strip() else FAIL
    parser = {
        QuestionType.SCALE: parse_scale,
        QuestionType.SINGLE: parse_single,
        QuestionType.MULTI: parse_multi,
        QuestionType.YESNO: parse_yesno,
    }[QuestionType(qtype)]
    return parser(text, spec)
