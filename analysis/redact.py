"""Remove personal data from a young person's words before any quote leaves the database.

Placeholders: [NAME], [PHONE], [EMAIL], [ADDRESS], [POSTCODE], [SCHOOL], [HANDLE].

- Regular expressions find emails, phone numbers (public helplines such as Childline's stay),
  postcodes, house addresses and social handles.
- A spaCy EntityRuler, built from the gazetteers in analysis/data/gazetteers, finds first names
  and school names. Names that are also words (Hope, Will, Mark) or places (Chester) count only
  after a relation or title ("my sister Hope", "miss will") or when capitalised mid-sentence.
  Public place names (Stockton, Thornaby) are never names.
- The participant's own known names (e.g. "what do you like to be called?") always go.

Redaction favours removing too much: a quote with a lost word is better than a child named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from analysis.textnorm import DATA

GAZETTEERS = DATA / "gazetteers"
PUBLIC_NUMBERS = {  # helplines we signpost ourselves: quoting them identifies nobody
    "08001111", "116123", "999", "111", "85258", "116111", "08088005000", "08457909090",
    "08000232580", "101", "0800789321",
}  # fmt: skip
RELATIONS = {
    "mam", "mum", "mom", "mummy", "dad", "daddy", "sister", "brother", "sis", "bro",
    "mate", "mates", "friend", "bestie", "bff", "cousin", "auntie", "aunt", "aunty", "uncle",
    "nan", "nana", "nanna", "gran", "grandma", "grandad", "grandpa", "carer", "carers", "sw",
    "worker", "teacher", "pa", "iro", "boyfriend", "girlfriend", "bf", "gf", "son", "daughter",
    "stepdad", "stepmum", "mr", "mrs", "miss", "ms", "sir", "dr", "called", "named", "with",
    "and", "baby", "partner", "keyworker", "mentor", "tutor", "counsellor", "coach",
}  # fmt: skip
TITLES = {"mr", "mrs", "miss", "ms", "sir", "dr", "mx"}
IDIOMS = {"mark my words"}
NAME_CUES_AFTER = {"said", "says", "told", "asked", "reckons", "from", "my", "is", "was"}

EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{2,30}")
HANDLE_AFTER = re.compile(
    r"\b(?:snap(?:chat)?|insta(?:gram)?|ig|tiktok|tt|twitter|discord|x|threads|sc)"
    r"(?:\s+(?:name|username|handle|user|@|is|its|it's|=|:|-)){0,3}\s*:?\s*"
    r"(?P<handle>@?[A-Za-z0-9_.]*[0-9_.][A-Za-z0-9_.]*|@[A-Za-z0-9_.]{2,30})",
    re.IGNORECASE,
)  # the handle itself must have a digit, dot or underscore (or an @): "on snap its jaybird07"
PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0044\s?|\(0|0)\d(?:[\s-]?\)?[\s-]?\d){8,10}(?!\d)"
)
UNDERSCORE_HANDLE = re.compile(r"(?<![\w@])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
STREET_WORDS = (
    "road|rd|street|st|avenue|ave|close|crescent|cres|drive|dr|lane|ln|way|court|ct|grove|"
    "terrace|gardens|gdns|place|pl|walk|view|green|mews|square|row|park|rise|vale|wynd|chase"
)
ADDRESS = re.compile(
    rf"\b(?:(?:flat|apartment|apt|unit|room)\s*\d+[a-z]?,?\s+)?(?:(?:number|no\.?)\s*)?"
    rf"\d{{1,4}}[a-z]?,?\s+"
    rf"(?:[A-Za-z']+\s+){{1,3}}(?:{STREET_WORDS})\b\.?"
    rf"|\b(?:flat|apartment|apt)\s*\d+[a-z]?\b(?:,?\s+(?:[A-Za-z']+\s+){{0,3}}(?:{STREET_WORDS})\b)?",
    re.IGNORECASE,
)
SCHOOL_SHAPE = re.compile(
    r"\b(?:(?:St|Saint)\.?\s+)?(?:[A-Z][a-z']+\s+){1,4}"
    r"(?:Academy|Primary School|Primary|High School|Secondary School|School|College|Sixth Form"
    r"|Grammar|Comprehensive|Infants|Juniors|Junior School)\b"
)
DIGIT = re.compile(r"\d")  # phone numbers, postcodes and house numbers all hold one
WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")  # letters in any script, "o'neill"
PLAIN_WORDS = re.compile(r"[^\W\d_]+")
GENERIC_SCHOOL_WORDS = {"the", "my", "our", "a", "sixth", "form", "primary", "high", "secondary",
                        "special", "new", "old", "this", "that", "at", "in", "to", "from",
                        "i", "bus", "taxi", "catholic", "private"}  # fmt: skip
# Words too common in school names to pick a school pattern by (see _ruler_key_words).
COMMON_SCHOOL_WORDS = GENERIC_SCHOOL_WORDS | {
    "all", "st", "saint", "saints", "school", "academy", "college", "church", "of", "england",
    "ce", "rc", "lady", "junior", "infant", "infants", "community", "free", "grammar", "park",
    "green", "and", "trust"}  # fmt: skip


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    label: str  # NAME | PHONE | EMAIL | ADDRESS | POSTCODE | SCHOOL | HANDLE


def _words(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {
        " ".join(line.strip().lower().split())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }


class Redactor:
    """Finds personal data in raw text and replaces it with placeholders."""

    def __init__(self, gazetteers: Path = GAZETTEERS):
        self.places = _words(gazetteers / "places.txt")
        names = {n for n in _words(gazetteers / "first_names.txt") if len(n) > 2}
        # Context only: names that are also words, or places.
        self.name_words = _words(gazetteers / "name_words.txt") | (names & self.places)
        self.names = names - self.name_words
        self.surnames = _words(gazetteers / "surnames.txt")
        self.schools = {s for s in _words(gazetteers / "schools.txt") if s not in self.places}
        self.nlp = self._ruler_pipeline()
        self._title_or_surname = TITLES | self.surnames
        # A text needs the spaCy pass only if it holds one of these words (or a capitalised
        # surname): every ruler pattern needs its key word, every other rule one of the rest.
        self._doc_words = self._ruler_key_words() | TITLES | self.name_words

    def _ruler_pipeline(self) -> Language:
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe(
            "entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
        )
        ruler.add_patterns(
            [{"label": "SCHOOL", "pattern": s} for s in sorted(self.schools)]
            + [{"label": "PERSON", "pattern": n} for n in sorted(self.names)]
        )
        return nlp

    def _ruler_key_words(self) -> set[str]:
        """One word every match of each ruler pattern must hold: its longest word that is
        not a common part of school names ("the", "all", "high", "academy"), lower-cased."""
        out = set()
        for pattern in self.nlp.get_pipe("entity_ruler").patterns:
            words = [t.lower_ for t in self.nlp.make_doc(pattern["pattern"])]
            letters = [w for w in words if PLAIN_WORDS.fullmatch(w)]
            if not letters:  # no plain word: any letters in it will do
                out |= {p for w in words for p in PLAIN_WORDS.findall(w)}
                continue
            rare = [w for w in letters if w not in COMMON_SCHOOL_WORDS and w not in self.places]
            out.add(max(rare or letters, key=len))
        return out

    def _needs_doc(self, text: str, words: set[str]) -> bool:
        """False when no ruler pattern, title, name-word or capitalised surname can match."""
        if words & self._doc_words:
            return True
        return bool(words & self.surnames) and any(
            w[:1].isupper() and w.lower() in self.surnames for w in PLAIN_WORDS.findall(text)
        )

    # ---------------------------------------------------------------- finding
    def find(self, text: str, known_names: Iterable[str] = ()) -> list[Found]:
        """Every personal item in `text`, as character spans, left to right, not overlapping."""
        if not text:
            return []
        found = self._pattern_items(text)
        found += self._known(text, known_names)
        lowered = text.lower()  # "joy's" holds "joy"; "o'neill" is itself a surname
        words = set(WORDS.findall(lowered)) | set(PLAIN_WORDS.findall(lowered))
        if self._needs_doc(text, words):  # most answers name nobody: no spaCy pass for them
            doc = self.nlp(text)
            found += self._ruler_items(doc, check_titles=bool(words & self._title_or_surname))
            if words & self.name_words:
                found += self._name_words(doc)
        found += [
            Found(m.start(), m.end(), "SCHOOL")
            for m in SCHOOL_SHAPE.finditer(text)
            if m.group(0).split()[0].lower() not in GENERIC_SCHOOL_WORDS
            and m.group(0).lower().rsplit(" ", 1)[0] not in self.places
        ]
        return _merge(found)

    def redact(self, text: str, known_names: Iterable[str] = ()) -> str:
        out, at = [], 0
        for item in self.find(text, known_names):
            out.append(text[at : item.start])
            out.append(f"[{item.label}]")
            at = item.end
        out.append(text[at:])
        return "".join(out)

    def _pattern_items(self, text: str) -> list[Found]:
        # Each pattern needs a character most answers lack (an @, an underscore, a digit or
        # a dot): without it the pattern cannot match, so it is not run.
        found: list[Found] = []
        at, underscore, digit = "@" in text, "_" in text, DIGIT.search(text) is not None
        if at:
            found += [Found(*m.span(), "EMAIL") for m in EMAIL.finditer(text)]
            found += [Found(*m.span(), "HANDLE") for m in HANDLE.finditer(text)]
        if underscore:
            found += [Found(*m.span(), "HANDLE") for m in UNDERSCORE_HANDLE.finditer(text)]
        if at or underscore or digit or "." in text:
            found += [
                Found(*m.span("handle"), "HANDLE")
                for m in HANDLE_AFTER.finditer(text)
                if len(m.group("handle").lstrip("@")) >= 3
            ]
        if not digit:
            return found
        for m in PHONE.finditer(text):
            if re.sub(r"\D", "", m.group(0)) not in PUBLIC_NUMBERS:
                found.append(Found(*m.span(), "PHONE"))
        found += [Found(*m.span(), "POSTCODE") for m in POSTCODE.finditer(text)]
        found += [Found(*m.span(), "ADDRESS") for m in ADDRESS.finditer(text)]
        return found

    def _known(self, text: str, known_names: Iterable[str]) -> list[Found]:
        names = sorted({n.strip() for n in known_names if n and n.strip()}, key=len, reverse=True)
        if not names:
            return []
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE
        )
        return [Found(*m.span(), "NAME") for m in pattern.finditer(text)]

    def _ruler_items(self, doc: Doc, check_titles: bool = True) -> list[Found]:
        out = []
        for ent in doc.ents:
            if ent.label_ == "SCHOOL":
                out.append(Found(ent.start_char, ent.end_char, "SCHOOL"))
            elif not self._starts_place(doc, ent.start):
                out.append(self._name_from(doc, ent.start, ent.end))
        if not check_titles:
            return out
        lows = [t.lower_ for t in doc]
        # Only tokens after a title or that are known surnames can match below.
        candidates = [
            i
            for i, low in enumerate(lows)
            if (i and lows[i - 1].rstrip(".") in TITLES) or low in self.surnames
        ]
        for i in candidates:  # after a title: "mrs Begum", "miss atkinson"
            tok = doc[i]
            prev = lows[i - 1].rstrip(".") if i else ""
            if (
                prev in TITLES
                and tok.is_alpha
                and not tok.is_stop
                and (prev != "miss" or self._surname_like(tok) or tok.lower_ in self.names)
            ):
                out.append(self._name_from(doc, i, i + 1))
            elif (  # "Jo Clarke": a capitalised word before a known surname
                i
                and self._capitalised(tok)
                and tok.lower_ in self.surnames
                and self._capitalised(doc[i - 1])
                and doc[i - 1].lower_ not in self.places
                and doc[i - 1].text != "I"
                and (not self._sentence_start(doc, i - 1) or doc[i - 1].lower_ in self.names)
            ):
                out.append(Found(doc[i - 1].idx, tok.idx + len(tok), "NAME"))
        return out

    def _name_from(self, doc: Doc, start: int, end: int) -> Found:
        """A name from token `start`, with its surname if one follows ("jayden smith")."""
        if end < len(doc) and self._surname_like(doc[end]):
            end += 1
        return Found(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "NAME")

    def _surname_like(self, tok) -> bool:  # noqa: ANN001
        low = tok.lower_.replace("’", "'")
        if low in self.surnames and "'" in low:
            return True  # O'Neill, O'Brien
        if low in self.places or low in RELATIONS or tok.is_stop or not tok.is_alpha:
            return False
        if self._capitalised(tok):
            return len(low) > 2
        return low in self.surnames and low not in self.name_words and low not in _english()

    def _starts_place(self, doc: Doc, start: int) -> bool:
        """'albert park', 'the james cook': a name that begins a public place."""
        return any(
            doc[start : start + n].text.lower() in self.places
            for n in (2, 3)
            if start + n <= len(doc)
        )

    @staticmethod
    def _capitalised(tok) -> bool:  # noqa: ANN001
        return tok.text[:1].isupper() and tok.text[1:].islower() and tok.is_alpha

    @staticmethod
    def _sentence_start(doc: Doc, i: int) -> bool:
        return i == 0 or doc[i - 1].text in {".", "!", "?", "…"} or "\n" in doc[i - 1].text_with_ws

    def _name_words(self, doc: Doc) -> list[Found]:
        """Names that are also words or places, only where they are used as names:
        after a relation or title ("my sister Hope", "miss will"), in "me and grace",
        before "said" or "my" when capitalised ("Will said", "Robin my key worker"),
        paired with another name ("holly and amber"), or capitalised mid-sentence."""
        out = []
        candidates = {i for i, t in enumerate(doc) if t.lower_ in self.name_words}
        if not candidates:
            return out
        for i in sorted(candidates):
            tok, low = doc[i], doc[i].lower_
            prev = doc[i - 1].lower_ if i else ""
            prev2 = doc[i - 2].lower_ if i > 1 else ""
            nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            cap = self._capitalised(tok)
            start = self._sentence_start(doc, i)
            after_relation = prev in RELATIONS - {"and", "with", "called", "named"}
            if self._starts_place(doc, i) or (
                low in self.places and not cap and not after_relation
            ):
                continue
            if doc[i : i + 3].text.lower() in IDIOMS:
                continue
            paired = (nxt == "and" and i + 2 in candidates) or (
                prev == "and" and i - 2 in candidates
            )
            if (
                after_relation
                or prev.rstrip(".") in TITLES
                or prev in {"called", "named"}
                or (prev == "and" and prev2 == "me")
                or (nxt == "and" and i + 2 < len(doc) and doc[i + 2].lower_ == "me")
                or (prev in {"and", "with"} and cap)
                or (cap and nxt in NAME_CUES_AFTER)
                or (paired and (cap or start or prev in {"and", "me"}))
                or (cap and not start and low not in self.places and doc[i - 1].text != "I")
            ):
                out.append(self._name_from(doc, i, i + 1))
        return out


def _merge(found: list[Found]) -> list[Found]:
    """Overlapping items become one (the longer label wins ties by span length)."""
    out: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if out and item.start < out[-1].end:
            last = out[-1]
            if item.end > last.end:
                out[-1] = Found(last.start, item.end, last.label)
            continue
        out.append(item)
    return out


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """English word forms (the lookup lemmatizer's table): "may", "rose" and "long" are
    surnames only when capitalised."""
    from spacy.lookups import load_lookups

    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    return frozenset(table.keys()) if hasattr(table, "keys") else frozenset()


@lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    return Redactor()


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """`text` with personal data replaced by placeholders such as [NAME] and [PHONE]."""
    return default_redactor().redact(text, known_names)
