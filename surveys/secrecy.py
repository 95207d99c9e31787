"""Finds wording that promises a child secrecy or unconditional confidentiality.

No text the platform or the bot sends may make such a promise (reliability-notes §3.3): if a
child is at risk, what they say is passed on. Survey definitions are checked on load, and a
test checks every response template.
"""

from __future__ import annotations

import re

# Promises, unless the sentence says the opposite ("we can't keep this just between us").
_PROMISES = [
    r"\bsecrets?\b",
    r"\bwon'?t tell (anyone|anybody|a soul|your)",
    r"\bwill not tell (anyone|anybody|your)",
    r"\bnever tell (anyone|anybody|your)",
    r"\bno ?one (else )?will (ever )?(know|find out|see)",
    r"\bnobody (else )?will (ever )?(know|find out|see)",
    r"\b(just|only|stays?|strictly) between (us|you and (me|us))",
    r"\b(completely|totally|fully|100%|always|strictly) (confidential|private|anonymous)",
    r"\bconfidential\b",
    r"\bin confidence\b",
]
_NEGATION = re.compile(r"\b(can'?t|cannot|can not|not|isn'?t|won'?t be|never|don'?t|unless)\b")


def promises_secrecy(text: str) -> list[str]:
    """The phrases in `text` that promise secrecy (an empty list when there are none)."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text or ""):
        lowered = sentence.lower().replace("’", "'")
        for pattern in _PROMISES:
            m = re.search(pattern, lowered)
            clause = re.split(r"[,;:]|\s-\s", lowered[: m.start()])[-1] if m else ""
            if m and not _NEGATION.search(clause):
                found.append(sentence.strip())
                break
    return found
