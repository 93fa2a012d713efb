"""Bearer tokens, as every HTTP entry point of the project checks them."""
from __future__ import annotations

import hmac
from typing import Optional


def bearer_matches(header: Optional[str], token: Optional[str]) -> bool:
    """Whether an Authorization header is 'Bearer <token>' (constant time); never for no token."""
    if not token or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].strip().encode(), token.encode())
