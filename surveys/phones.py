"""Phone numbers: normalised to E.164 with Google's libphonenumber (UK by default)."""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "GB"


class InvalidPhoneNumber(ValueError):
    """Not a phone number we can text."""


def to_e164(raw: str, region: str = DEFAULT_REGION) -> str:
    """'07700 900123', '+44 7700 900123', '447700900123' -> '+447700900123'."""
    text = (raw or "").strip()
    if not text or len(text) > 32:
        raise InvalidPhoneNumber("empty or too long")
    if text.isdigit() and text.startswith("44"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(str(exc)) from None
    # Ofcom's drama range (07700 900xxx), used in tests and demos, is a well-formed UK mobile
    # number that libphonenumber does not call valid: accept well-formed UK mobiles too.
    uk_mobile = number.country_code == 44 and re.fullmatch(r"7\d{9}", str(number.national_number))
    if not (phonenumbers.is_valid_number(number) or uk_mobile):
        raise InvalidPhoneNumber("not a valid mobile or landline number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
