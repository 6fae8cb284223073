"""Password hashing (Argon2id), password policy, TOTP (RFC 6238) and opaque tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import struct
import time
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MIN_STRENGTH_SCORE = 3
ZXCVBN_MAX_LENGTH = 72
"""zxcvbn refuses longer input; the first 72 characters are what it judges."""
# RFC 9106's second recommended option (argon2-cffi's defaults). The test suite may ask for a
# cheaper Argon2id profile through ONWARD_PASSWORD_HASH_PROFILE=test; never set it in production.
_PROFILES = {
    "standard": PasswordHasher(type=Type.ID),
    "test": PasswordHasher(type=Type.ID, time_cost=1, memory_cost=8 * 1024, parallelism=1),
}
_hasher = _PROFILES[os.environ.get("ONWARD_PASSWORD_HASH_PROFILE", "standard")]
# A real hash of a random password, verified against when the account does not exist so that
# a login for an unknown email costs the same time as one for a known email.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An Argon2id hash in PHC string format."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; spends the same effort when there is no account."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = resources.files("service.domain.accounts").joinpath("common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why a new password is refused, or None when it is acceptable (SECURITY S14)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password: must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > 256:
        return "password: must be at most 256 characters"
    lowered = password.lower()
    # "Password2024!" is as guessable as "password": compare the stem without trailing digits
    # and symbols too.
    stem = re.sub(r"[\W\d_]+$", "", lowered)
    if lowered in _common_passwords() or stem in _common_passwords() or len(set(lowered)) <= 3:
        return "password: is too common; choose a less predictable one"
    if email and email.split("@", 1)[0].lower() in lowered and len(email.split("@", 1)[0]) >= 4:
        return "password: must not contain your email name"
    # The list and the length rule miss patterns: a repeated word ("onwardonward"), keyboard
    # walks, dates, her own name split differently. zxcvbn (Dropbox's estimator, kept up on
    # PyPI) scores those; below "safely unguessable" (3) is refused.
    context = ["onward", *re.split(r"[\W_]+", email.split("@", 1)[0].lower())] if email else ["onward"]
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=context)["score"] < MIN_STRENGTH_SCORE:
        return "password: is too easy to guess; try a few unrelated words"
    return None


def new_token(prefix: str = "") -> str:
    """A random URL-safe token with 256 bits of entropy."""
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """SHA-256 hex digest: what we store instead of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- TOTP (RFC 6238: SHA-1, 6 digits, 30 s steps, as every authenticator app expects) ---

TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6


def new_totp_secret() -> str:
    """A base32 secret of 160 bits, the size RFC 4226 recommends."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _hotp(secret: str, counter: int) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**TOTP_DIGITS
    return str(code).zfill(TOTP_DIGITS)


def totp_now(secret: str, at: float | None = None) -> str:
    """The current code for a secret (used by tests and the demo)."""
    return _hotp(secret, int((time.time() if at is None else at) // TOTP_STEP_SECONDS))


def verify_totp(secret: str, code: str, last_step: int | None, at: float | None = None) -> int | None:
    """The time step the code belongs to (±1 step of drift), or None.

    A code whose step is not newer than `last_step` is refused, so a code seen once (for
    example over a shoulder) cannot be replayed.
    """
    code = code.strip().replace(" ", "")
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    step = int((time.time() if at is None else at) // TOTP_STEP_SECONDS)
    for candidate in (step - 1, step, step + 1):
        if (last_step is None or candidate > last_step) and hmac.compare_digest(_hotp(secret, candidate), code):
            return candidate
    return None


def totp_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from a QR code."""
    from urllib.parse import quote

    return f"otpauth://totp/{quote(issuer)}:{quote(account)}?secret={secret}&issuer={quote(issuer)}&digits=6&period=30"
