"""Carrier keywords: exact single words, any case, surrounding spaces ignored."""

from __future__ import annotations

from enum import StrEnum

OPT_OUT = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
OPT_IN = {"START", "YES", "UNSTOP"}
HELP = {"HELP", "INFO"}


class Keyword(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


def keyword(text: str) -> Keyword | None:
    """The keyword a whole message is, if any: 'stop ' is STOP; 'stop it' is not."""
    word = (text or "").strip().upper()
    if word in OPT_OUT:
        return Keyword.OPT_OUT
    if word in OPT_IN:
        return Keyword.OPT_IN
    if word in HELP:
        return Keyword.HELP
    return None
