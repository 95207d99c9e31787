"""The theme-analysis spaCy pipeline, built from `spacy.blank("en")` by the project.

    tokenizer  youthvoice.textspeak_tokenizer.v1: text-speak and dialect normalisation
               (analysis/textnorm.py), then spaCy's English tokenizer; the raw text is kept
               on `doc._.raw` for quotation and audit
    lemmatizer spaCy's lookup lemmatizer with the tables from spacy-lookups-data
    youthvoice_theme_lexicon   taxonomy seeds matched on lemmas, with negation (`doc._.theme_hits`)
    textcat    textcat_multilabel (lemma bag of words + small CNN): themes, sub-themes,
               valence and suggestion (analysis/fast_textcat.py: spaCy's, with a faster
               write of its scores to doc.cats)
    youthvoice_theme_decider   scores + lexicon evidence + tuned thresholds -> themes, valence
    youthvoice_redactor        `doc._.redacted`: the raw text without personal data

Nothing is downloaded: the lemma tables ship in the spacy-lookups-data wheel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, with_cpu

from analysis import fast_textcat  # noqa: F401  (registers youthvoice_textcat_multilabel)
from analysis.redact import default_redactor
from analysis.taxonomy import Taxonomy, default_taxonomy
from analysis.textnorm import BOUNDARY, normalise

VALENCE_POSITIVE = "VALENCE_POSITIVE"
VALENCE_NEGATIVE = "VALENCE_NEGATIVE"
SUGGESTION = "SUGGESTION"
NEGATION_WINDOW = 3  # tokens a negator may sit before a seed ("dont really feel unsafe")
# Verbal negation only: "no buses" and "cant afford the bus" are still about buses.
NEGATORS = frozenset((
    "not", "nt", "n't", "never", "dont", "didnt", "doesnt", "isnt", "arent", "wasnt", "werent",
    "aint", "havent", "hasnt",
))  # fmt: skip
NGRAM = 2  # words and word pairs ("no buses"); 1 scores the same on dev, 3 lower
# spaCy's ensemble: the lemma bag of words beside a small CNN over lemma, prefix, suffix and
# shape embeddings (no pretrained vectors). On the held-out split it beats the bag of words
# alone by about 0.1 micro-F1: the CNN reads "buses free for under 18s" as one idea where
# the bag of words weighs each word on its own. Width 32: on dev (three seeds, tuned on one
# half, scored on the other) it scores as well as 64 (micro-F1 0.778 against 0.771; 24 gave
# 0.777) and the CNN's matrix products, most of the classifier's time, are 4x smaller.
WIDTH = 32
MODEL = {
    "@architectures": "spacy.TextCatEnsemble.v2",
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": WIDTH,
            "attrs": ["LEMMA", "PREFIX", "SUFFIX", "SHAPE"],
            "rows": [5000, 1000, 2500, 500],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": WIDTH,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    },
    "linear_model": {"@architectures": "youthvoice.LemmaBOW.v1", "ngram_size": NGRAM},
}
EMPTY = "no_words"
SUB_HIT = 0.2  # a seed of the sub-theme itself raises its score by this much
VALENCE = {  # (positive feeling, negative feeling) -> valence
    (True, True): "mixed",
    (True, False): "positive",
    (False, True): "negative",
    (False, False): "neutral",
}
DEFAULTS = {"theme": 0.5, "subtheme": 0.35, "valence": 0.5, "suggestion": 0.5, "lexicon": 0.15}

for _name in ("raw", "known_names", "theme_hits", "themes", "subthemes", "scores"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name, _default in (("valence", "neutral"), ("suggestion", False), ("redacted", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@dataclass(frozen=True)
class ThemeHit:
    code: str  # a theme ("EDU") or a sub-theme ("EDU.exams_pressure")
    start: int
    end: int
    negated: bool


class TextspeakTokenizer:
    """Normalise, then tokenise: the Doc holds the normalised words, `doc._.raw` the input."""

    def __init__(self, base: Any):
        self.base = base

    def __call__(self, text: str) -> Doc:
        # An answer with no words ("", "👍") still gets one token: spaCy's bag-of-words
        # classifier fails on an empty doc in a batch.
        doc = self.base(normalise(text) or EMPTY)
        doc._.raw = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):  # noqa: ANN001, ANN201
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.base.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs: Any) -> TextspeakTokenizer:
        self.base.from_bytes(data, **kwargs)
        return self

    def to_disk(self, path: Path, **kwargs: Any) -> None:
        self.base.to_disk(path, **kwargs)

    def from_disk(self, path: Path, **kwargs: Any) -> TextspeakTokenizer:
        self.base.from_disk(path, **kwargs)
        return self


@registry.tokenizers("youthvoice.textspeak_tokenizer.v1")
def create_textspeak_tokenizer():  # noqa: ANN201
    base = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def create(nlp: Language) -> TextspeakTokenizer:
        return TextspeakTokenizer(base(nlp))

    return create


@registry.architectures("youthvoice.LemmaBOW.v1")
def lemma_bow(ngram_size: int, length: int = 65536, nO: int | None = None) -> Model:
    """spaCy's bag-of-words classifier, read from lemmas instead of the surface words:
    "buses", "bus" and "busses" are one feature, which matters with a few hundred answers."""
    linear = SparseLinear_v2(nO=nO, length=length)
    model = chain(
        with_cpu(chain(extract_ngrams(ngram_size, attr=LEMMA), linear), linear.ops),
        Logistic(),
    )
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", linear)
    model.attrs["multi_label"] = True
    return model


class ThemeLexicon:
    """Taxonomy seeds matched on lemmas. A hit right after a negator ("dont feel unsafe") is
    kept but marked negated: it still says what the answer is about, not how it feels."""

    def __init__(self, nlp: Language, name: str):
        self.nlp = nlp
        self.name = name
        self._matcher: PhraseMatcher | None = None

    def _build(self) -> PhraseMatcher:
        matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        lemmatizer = self.nlp.get_pipe("lemmatizer")
        taxonomy = default_taxonomy()
        for theme in taxonomy.themes:
            groups = [(theme.code, theme.seeds), *((s.code, s.seeds) for s in theme.subthemes)]
            for code, seeds in groups:
                docs = [lemmatizer(self.nlp.make_doc(seed)) for seed in seeds]
                matcher.add(code, [d for d in docs if len(d)])
        return matcher

    def __call__(self, doc: Doc) -> Doc:
        if self._matcher is None:
            self._matcher = self._build()
        matches = self._matcher(doc)
        negators = _negator_positions(doc) if matches else []
        doc._.theme_hits = [
            ThemeHit(self.nlp.vocab.strings[m], start, end, _negated(doc, negators, start, end))
            for m, start, end in matches
        ]
        return doc


def _negator_positions(doc: Doc) -> list[int]:
    """Where the verbal negators are. "ca nt" and "wo nt" (can't, won't) say what cannot
    happen, which is still about the topic ("cant afford the bus"), so they do not count."""
    lows = [t.lower_ for t in doc]
    return [
        i
        for i, low in enumerate(lows)
        if low in NEGATORS and not (low in ("nt", "n't") and i and lows[i - 1] in ("ca", "wo"))
    ]


def _negated(doc: Doc, negators: list[int], start: int, end: int) -> bool:
    """A negator at most NEGATION_WINDOW tokens before the seed, in the same clause; a seed
    that holds its own negator ("dont listen") is not negated."""
    if any(start <= i < end for i in negators):
        return False
    before = [i for i in negators if start - NEGATION_WINDOW <= i < start]
    if not before:
        return False
    return not any(doc[j].text == BOUNDARY for j in range(max(before) + 1, start))


@Language.factory("youthvoice_theme_lexicon")
def make_theme_lexicon(nlp: Language, name: str) -> ThemeLexicon:
    return ThemeLexicon(nlp, name)


class ThemeDecider:
    """Turns the classifier's scores and the lexicon's evidence into the answer's tags.

    A theme is tagged when its score, raised by `lexicon` for a non-negated seed hit, reaches
    its threshold (tuned on the dev split). Each tagged theme gets at least its best sub-theme.
    """

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.thresholds: dict[str, float] = dict(DEFAULTS)
        self.theme_thresholds: dict[str, float] = {}
        self.theme_boosts: dict[str, float] = {}  # per theme: some seeds ("mum") mislead
        self.taxonomy: Taxonomy = default_taxonomy()
        self._subthemes: dict[str, list[str]] | None = None  # per theme, built on first use

    def model_score(self, cats: dict[str, float], code: str) -> float:
        """The classifier's score for a theme: the mean of the theme's own score and its best
        sub-theme's. The finer sub-theme labels often know an answer is about exam stress
        when the theme label is unsure; on dev (three seeds, tuned on one half, scored on the
        other) this gained 0.006 to 0.017 micro-F1 over the theme's score alone."""
        subs = self._subthemes_of(code)
        best_sub = max((cats.get(s, 0.0) for s in subs), default=cats.get(code, 0.0))
        return (cats.get(code, 0.0) + best_sub) / 2

    @staticmethod
    def hit_themes(hits) -> set[str]:  # noqa: ANN001
        """The themes with a non-negated seed hit (of the theme or one of its sub-themes)."""
        return {h.code.split(".")[0] for h in hits if not h.negated}

    def theme_scores(self, cats: dict[str, float], hits) -> dict[str, float]:  # noqa: ANN001
        """Each theme's score, raised for a non-negated seed hit of that theme."""
        boost, boosts = self.thresholds["lexicon"], self.theme_boosts
        seen = self.hit_themes(hits)
        return {
            code: min(
                1.0,
                self.model_score(cats, code) + (boosts.get(code, boost) if code in seen else 0.0),
            )
            for code in self.taxonomy.codes
        }

    def _subthemes_of(self, theme: str) -> list[str]:
        if self._subthemes is None:
            self._subthemes = {t.code: [s.code for s in t.subthemes] for t in self.taxonomy.themes}
        return self._subthemes[theme]

    def __call__(self, doc: Doc) -> Doc:
        cats, hits, underscore = doc.cats, doc._.theme_hits or (), doc._
        scores = self.theme_scores(cats, hits)
        default, cuts = self.thresholds["theme"], self.theme_thresholds
        themes = [c for c, s in scores.items() if s >= cuts.get(c, default)]
        hit_subs = {h.code for h in hits if "." in h.code and not h.negated}
        subthemes = []
        sub_cut = self.thresholds["subtheme"]
        for theme in themes:
            sub_scores = {
                s: cats.get(s, 0.0) + SUB_HIT * (s in hit_subs) for s in self._subthemes_of(theme)
            }
            chosen = [s for s, v in sub_scores.items() if v >= sub_cut]
            subthemes += chosen or [max(sub_scores, key=sub_scores.get)]
        underscore.themes = themes
        underscore.subthemes = subthemes
        underscore.scores = {c: round(s, 3) for c, s in scores.items() if s >= 0.05}
        positive = cats.get(VALENCE_POSITIVE, 0.0) >= self.thresholds["valence"]
        negative = cats.get(VALENCE_NEGATIVE, 0.0) >= self.thresholds["valence"]
        underscore.valence = VALENCE[(positive, negative)]
        underscore.suggestion = cats.get(SUGGESTION, 0.0) >= self.thresholds["suggestion"]
        return doc

    def to_disk(self, path: Path, exclude: Any = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "thresholds.json").write_text(
            json.dumps(
                {
                    "global": self.thresholds,
                    "themes": self.theme_thresholds,
                    "boosts": self.theme_boosts,
                },
                indent=1,
            )
        )

    def from_disk(self, path: Path, exclude: Any = ()) -> ThemeDecider:
        data = json.loads((Path(path) / "thresholds.json").read_text())
        self.thresholds = {**DEFAULTS, **data["global"]}
        self.theme_thresholds = data["themes"]
        self.theme_boosts = data.get("boosts", {})
        return self


@Language.factory("youthvoice_theme_decider")
def make_theme_decider(nlp: Language, name: str) -> ThemeDecider:
    return ThemeDecider(nlp, name)


@Language.component("youthvoice_redactor")
def redactor_component(doc: Doc) -> Doc:
    doc._.redacted = default_redactor().redact(doc._.raw or "", doc._.known_names or ())
    return doc


def labels(taxonomy: Taxonomy) -> list[str]:
    return [*taxonomy.codes, *taxonomy.subtheme_codes, VALENCE_POSITIVE, VALENCE_NEGATIVE,
            SUGGESTION]  # fmt: skip


def blank_pipeline(taxonomy: Taxonomy | None = None) -> Language:
    """The untrained pipeline, every component in place."""
    taxonomy = taxonomy or default_taxonomy()
    nlp = spacy.blank(
        "en", config={"nlp": {"tokenizer": {"@tokenizers": "youthvoice.textspeak_tokenizer.v1"}}}
    )
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("youthvoice_theme_lexicon")
    textcat = nlp.add_pipe("youthvoice_textcat_multilabel", name="textcat", config={"model": MODEL})
    for label in labels(taxonomy):
        textcat.add_label(label)
    nlp.add_pipe("youthvoice_theme_decider")
    nlp.add_pipe("youthvoice_redactor")
    return nlp
