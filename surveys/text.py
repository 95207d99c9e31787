"""Small text helpers: GSM-7 checks and SMS-safe text."""

from __future__ import annotations

import re
import unicodedata

# GSM 03.38 basic character set plus the extension table (which costs two septets).
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXT = set("^{}\\[~]|€\f")
_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
}


def is_gsm7(text: str) -> bool:
    """True when every character fits the GSM-7 alphabet."""
    return all(c in _GSM7_BASIC or c in _GSM7_EXT for c in text)


def gsm7_length(text: str) -> int:
    """Septets needed: extension characters count twice."""
    return sum(2 if c in _GSM7_EXT else 1 for c in text)


def to_sms_text(text: str) -> str:
    """Replace typographic characters with GSM-7 ones and drop what cannot be sent."""
    out = []
    for c in text:
        c = _REPLACEMENTS.get(c, c)
        if is_gsm7(c):
            out.append(c)
            continue
        base = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode()
        out.append(base)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def sms_segments(text: str) -> tuple[int, int, str]:
    """(characters, segments, encoding) of an SMS as phones and Twilio count them.

    GSM-7 fits 160 septets in one message, 153 per part when split; anything else is sent
    as UCS-2: 70 characters, 67 per part."""
    if is_gsm7(text):
        size = gsm7_length(text)
        return size, 1 if size <= 160 else -(-size // 153), "GSM-7"
    size = len(text.encode("utf-16-le")) // 2
    return size, 1 if size <= 70 else -(-size // 67), "UCS-2"
