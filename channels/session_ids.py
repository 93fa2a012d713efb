"""Widget session ids issued and signed by the server, so a socket.io client cannot pick
another customer's conversation by guessing or copying an id it was never given.

An id is "<32 hex>.<signature>"; the signature is an HMAC of the random part with the
session secret: SHOP_SESSION_SECRET (16+ characters; every Rasa server of a deployment needs
the same), else a secret made once for this installation in the data directory, so widget
conversations survive a restart.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
import uuid
from functools import lru_cache

from bot.core.settings import DATA_DIR, MIN_SECRET_LENGTH

SECRET_ENV = "SHOP_SESSION_SECRET"
SECRET_FILE = "session_secret"


@lru_cache(maxsize=4)
def _secret(from_env: str) -> bytes:
    if len(from_env) >= MIN_SECRET_LENGTH:
        return from_env.encode()
    path = DATA_DIR / SECRET_FILE
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server made it a moment ago
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(32))
    for _ in range(50):  # the other server may still be writing it
        text = path.read_text().strip()
        if text:
            return text.encode()
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty: delete it, or set {SECRET_ENV}")


def _signature(random_part: str) -> str:
    key = _secret(os.environ.get(SECRET_ENV, "").strip())
    return hmac.new(key, f"widget-session:{random_part}".encode(), hashlib.sha256).hexdigest()[:32]


def issue() -> str:
    random_part = uuid.uuid4().hex
    return f"{random_part}.{_signature(random_part)}"


def valid(session_id: object) -> bool:
    """Whether this server issued the id."""
    random_part, dot, signature = str(session_id or "").partition(".")
    return bool(dot and random_part) and hmac.compare_digest(signature, _signature(random_part))
