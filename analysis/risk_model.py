"""The second net: a spaCy text classifier trained on the project's labelled examples.

Built from `spacy.blank("en")` (no pretrained model is downloaded), trained with a fixed seed on
the train split, saved under analysis/models/safeguarding. Texts are normalised exactly as the
lexicon sees them, so leetspeak and spacing do not hide words from it.
"""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example as SpacyExample
from spacy.util import fix_random_seed, minibatch

from analysis.labelled import CATEGORIES, Example, data_fingerprint, load_examples, split
from analysis.risk_lexicon import Hit, default_lexicon
from analysis.textnorm import BOUNDARY, normalise, squeeze

log = logging.getLogger(__name__)
MODEL_DIR = Path(__file__).resolve().parent / "models" / "safeguarding"
SEED = 7
EPOCHS = 30
DEFAULT_THRESHOLD = 0.5
# Above this the classifier alone is confident enough to reply to the child with signposting;
# between the two thresholds it only raises an alert for a person to review.
RESPOND_THRESHOLD = 0.8
TARGET_RECALL = 0.98  # the threshold is the highest that keeps this recall on the dev split
MAX_DEV_FALSE_POSITIVES = 0.5  # ...unless that would flag more hard negatives than this
RISK = "RISK"  # any disclosure; the other labels are the categories
NEGATION_SCOPE = 4
MIN_MODEL_WORDS = 3


def _marked_words(text: str) -> list[str]:
    """The normalised words, with words after a negator marked ('nobody not_hurts not_me') so
    a bag-of-words model can tell 'he hurts me' from 'nobody hurts me'."""
    negators = default_lexicon().negators
    out, left = [], 0
    for word in normalise(text).split(" "):
        if word == BOUNDARY:
            left = 0
        elif left and squeeze(word) not in negators:
            out.append("not_" + word)
            left -= 1
            continue
        out.append(word)
        if squeeze(word) in negators:
            left = NEGATION_SCOPE
    return [w for w in out if w]


def _with_features(words: list[str], scan: list[Hit]) -> str:
    """The words followed by the lexicon's findings ('lexhit_self_harm',
    'lexnegated_abuse_home', 'lexexcluded_suicide'), so the model learns when to trust them."""
    return " ".join([*words, *sorted({f"lex{h.kind}_{h.category}" for h in scan})])


def model_text(text: str, scan: list[Hit] | None = None) -> str:
    """What the classifier reads ("" when there are no words). `scan` is the lexicon's
    `scan(text)`, if the caller already has it."""
    words = _marked_words(text)
    if not words:
        return ""
    return _with_features(words, default_lexicon().scan(text) if scan is None else scan)


def _nlp() -> Language:
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe(
        "textcat_multilabel",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": False,
                "ngram_size": 2,
                "no_output_layer": False,
                "length": 262144,
            }
        },
    )
    for label in (RISK, *CATEGORIES):
        textcat.add_label(label)
    return nlp


def _spacy_examples(nlp: Language, examples: list[Example]) -> list[SpacyExample]:
    out = []
    for e in examples:
        if not model_text(e.text).strip():
            continue  # nothing to learn from (e.g. an emoji only)
        cats = {c: float(c == e.category) for c in CATEGORIES}
        cats[RISK] = float(e.category is not None)
        out.append(SpacyExample.from_dict(nlp.make_doc(model_text(e.text)), {"cats": cats}))
    return out


def train(examples: list[Example] | None = None, epochs: int = EPOCHS) -> Language:
    """Train on the train split, reproducibly (fixed seed, fixed order before shuffling)."""
    examples = examples if examples is not None else split(load_examples(), "train")
    fix_random_seed(SEED)
    rng = random.Random(SEED)
    nlp = _nlp()
    data = _spacy_examples(nlp, examples)
    optimizer = nlp.initialize(lambda: data)
    for _ in range(epochs):
        rng.shuffle(data)
        for batch in minibatch(data, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def save(nlp: Language, directory: Path = MODEL_DIR, threshold: float = DEFAULT_THRESHOLD) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(directory)
    (directory / "youthvoice.json").write_text(
        json.dumps({"data": data_fingerprint(), "threshold": threshold, "seed": SEED})
    )


def is_current(directory: Path = MODEL_DIR) -> bool:
    """True when a saved model exists and was trained on the current labelled data."""
    meta = directory / "youthvoice.json"
    if not meta.exists():
        return False
    return json.loads(meta.read_text()).get("data") == data_fingerprint()


class RiskModel:
    """A loaded classifier: category scores for one text."""

    def __init__(
        self, nlp: Language, threshold: float, respond_threshold: float = RESPOND_THRESHOLD
    ):
        self.nlp = nlp
        self.threshold = threshold
        self.respond_threshold = max(threshold, respond_threshold)

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> RiskModel | None:
        if not (directory / "youthvoice.json").exists():
            return None
        meta = json.loads((directory / "youthvoice.json").read_text())
        return cls(spacy.load(directory), float(meta.get("threshold", DEFAULT_THRESHOLD)))

    def scores_many(
        self, texts: list[str], scans: list[list[Hit]] | None = None
    ) -> list[dict[str, float] | None]:
        """RISK (any disclosure) and one score per category, for each text. `scans` are the
        lexicon's `scan` of each text, if the caller already has them.

        The classifier needs words to judge: a reply of one or two words ("4", "b", "hi")
        gets None and is screened by the lexicon alone, which covers short disclosures."""
        lexicon = default_lexicon()
        judged, prepared = [], []
        for i, text in enumerate(texts):
            words = _marked_words(text)
            if len(words) >= MIN_MODEL_WORDS:
                judged.append(i)
                prepared.append(_with_features(words, scans[i] if scans else lexicon.scan(text)))
        out: list[dict[str, float] | None] = [None] * len(texts)
        for i, doc in zip(judged, self.nlp.pipe(prepared), strict=True):
            out[i] = dict(doc.cats)
        return out


def choose_threshold(risk_scores: list[float], lexicon_flags: list[bool], dev: list[Example]):
    """The highest threshold at which lexicon OR model keeps TARGET_RECALL on dev, within the
    false-positive ceiling; failing that, the one with the best dev recall within the ceiling
    (the highest at equal recall). Returns (threshold, recall, hard-negative flag rate)."""
    positives = [i for i, e in enumerate(dev) if e.category]
    hard = [i for i, e in enumerate(dev) if e.kind == "hard_negative"]
    options = []
    for t in [step / 100 for step in range(95, 10, -5)] + [step / 100 for step in range(10, 1, -1)]:
        flagged = [lexicon_flags[i] or risk_scores[i] >= t for i in range(len(dev))]
        recall = sum(flagged[i] for i in positives) / max(1, len(positives))
        fp = sum(flagged[i] for i in hard) / max(1, len(hard))
        if fp <= MAX_DEV_FALSE_POSITIVES:
            options.append((t, recall, fp))
    if not options:
        return (DEFAULT_THRESHOLD, 0.0, 1.0)
    reaching = [o for o in options if o[1] >= TARGET_RECALL]
    if reaching:
        return max(reaching, key=lambda o: o[0])
    return max(options, key=lambda o: (o[1], o[0]))
