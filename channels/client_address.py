"""The client's address on each web message, for counting failed proofs of ownership per client
(bot.orders.proof_guard) however many conversations it opens.

The REST and socket.io channels put the address under `client` in the message's metadata; a
value the client sent itself under that key is replaced, so it cannot pose as someone else.
Behind a reverse proxy, Sanic's `REAL_IP_HEADER` / `PROXIES_COUNT` settings make `remote_addr`
the customer's address; without them it is the peer's.
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from bot.orders.proof_guard import CLIENT_METADATA_KEY


def address_of(request: Any) -> str:
    """A Sanic request's client address: the proxy-forwarded one when configured, else the peer."""
    return str(getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "unknown")


def stamped(metadata: Optional[Any], request: Any) -> Dict[str, Any]:
    """The message metadata with the client's address set by the server."""
    base = dict(metadata) if isinstance(metadata, dict) else {}
    base[CLIENT_METADATA_KEY] = address_of(request)
    return base
