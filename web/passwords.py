"""Staff passwords: argon2id hashes (argon2-cffi's defaults follow RFC 9106's low-memory
profile) and NCSC-style rules.

NCSC guidance: favour length (three random words) over complexity rules, block common and
guessable passwords with a deny list, allow pasting and password managers, and never force
regular changes. So: at least 12 characters, at most 256, and zxcvbn (which carries lists of
common passwords, words and keyboard patterns) must rate it hard to guess, counting the
person's own email, name and the service's name as known words.
"""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable" for online attack with throttling
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random passphrase-strength password for the first admin."""
    return secrets.token_urlsafe(15)


def password_problem(password: str, known_words: list[str] = ()) -> str | None:
    """Why `password` may not be used (a sentence for the form), or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    words = [w for known in known_words for w in re.split(r"[\W_]+", known.lower()) if w]
    words += [*known_words, "youthvoice", "youth", "voice", "council"]
    result = zxcvbn(password[:100], user_inputs=words)  # zxcvbn is slow on very long input
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "It is too easy to guess"
        return f"{hint.rstrip('.')}. Try three random words, like a phrase only you would know"
    return None
