"""Code generation and the short, safe names used in logs and events."""

import hashlib
import secrets

from .settings import CHARSETS


def new_user_code(charset, length):
    """A user code like `WDJB-MJHT`: `length` characters, hyphen in the middle.

    RFC 8628 section 6.1: the user code needs enough entropy to resist
    guessing over its short life; 8 Base20 characters give about 34.5 bits.
    """
    alphabet = CHARSETS[charset]
    raw = "".join(secrets.choice(alphabet) for _ in range(length))
    half = length // 2
    return raw[:half] + "-" + raw[half:]


def normalize_user_code(text):
    """What a person typed, in the form codes are stored in: no separators,
    upper case (RFC 8628 section 6.1 recommends accepting both)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def new_secret():
    """Device codes, tokens, CSRF and session ids: 256 random bits."""
    return secrets.token_urlsafe(32)


def short_hash(secret):
    """A stable, non-reversible name for a secret, safe for logs and events."""
    if not secret:
        return None
    return hashlib.sha256(secret.encode()).hexdigest()[:12]
