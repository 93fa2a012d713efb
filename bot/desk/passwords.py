"""Password hashes for desk agents: salted scrypt, compared in constant time."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

#: scrypt cost: 2**14 rounds, block size 8, no parallelism (~16 MB, ~50 ms per check).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
PREFIX = "scrypt"
#: Upper bounds for parameters read back from a file, so a tampered hash cannot exhaust memory.
MAX_N, MAX_R, MAX_P = 2**20, 16, 4


class PasswordHashError(ValueError):
    """A stored hash is not in the format hash_password writes."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=256 * r * n
    )


def hash_password(password: str) -> str:
    """A new salted hash: 'scrypt$N$r$p$salt$key' (salt and key in base64)."""
    salt = os.urandom(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{PREFIX}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def parse_hash(stored: str) -> tuple:
    """(n, r, p, salt, key) of a stored hash; PasswordHashError says what is wrong."""
    parts = stored.split("$") if isinstance(stored, str) else []
    if len(parts) != 6 or parts[0] != PREFIX:
        raise PasswordHashError("not a hash made by `python -m bot.desk add-agent` (scrypt$N$r$p$salt$key)")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except ValueError:
        raise PasswordHashError("the scrypt parameters, salt or key cannot be read") from None
    if not (1 < n <= MAX_N and n & (n - 1) == 0 and 0 < r <= MAX_R and 0 < p <= MAX_P):
        raise PasswordHashError(f"unsupported scrypt parameters N={n}, r={r}, p={p}")
    if len(salt) < 8 or len(key) != KEY_BYTES:
        raise PasswordHashError("the salt is too short or the key has the wrong length")
    return n, r, p, salt, key


def verify_password(password: str, stored: str) -> bool:
    """True when password matches the stored hash; False for a wrong password or a bad hash."""
    try:
        n, r, p, salt, key = parse_hash(stored)
    except PasswordHashError:
        return False
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), key)


#: A valid hash of a random password, checked when the username is unknown, so a login
#: attempt takes as long whether or not the agent exists.
DUMMY_HASH = hash_password(_b64(os.urandom(18)))
