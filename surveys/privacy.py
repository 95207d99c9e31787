"""Personal data at rest: contact details and staff two-factor keys encrypted (Fernet);
contacts are looked up by a keyed hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken


class DataKeyMissing(RuntimeError):
    """YOUTHVOICE_DATA_KEY is needed to store contact details."""


def new_data_key() -> str:
    return Fernet.generate_key().decode()


def _key(data_key: str | None) -> bytes:
    if not data_key:
        raise DataKeyMissing("set YOUTHVOICE_DATA_KEY (make run generates one in instance/)")
    return data_key.encode()


def _fernet(data_key: str | None) -> Fernet:
    return Fernet(_key(data_key))


def encrypt(data_key: str | None, value: str) -> bytes:
    """Encrypt a secret (a phone number, a two-factor key) with the data key."""
    return _fernet(data_key).encrypt(value.encode())


def decrypt(data_key: str | None, token: bytes) -> str:
    try:
        return _fernet(data_key).decrypt(token).decode()
    except InvalidToken as exc:
        raise ValueError("stored secret cannot be decrypted with this key") from exc


encrypt_contact = encrypt
decrypt_contact = decrypt


def contact_hash(data_key: str | None, value: str) -> str:
    """A keyed hash (HMAC-SHA256) so a number can be found without storing it in clear."""
    key = base64.urlsafe_b64decode(_key(data_key))
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_participant_key() -> str:
    """A pseudonymous key: what Rasa and every log line see instead of a person."""
    return "p_" + secrets.token_urlsafe(12)


def new_conversation_token() -> tuple[str, str]:
    """An opaque web-chat conversation id and the hash stored for it."""
    token = secrets.token_urlsafe(24)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
