"""The `ownership_proof:` section of the shop profile: how many failed proofs lock an order's
proof (and a client's), for how long. Parsed with the profile's key reader by
`bot.profile.shop_profile.parse_profile`; the counting is in `bot.orders.proof_guard`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProofPolicy:
    max_failures_per_order: int  # failed proofs for one order within the window that lock it
    max_failures_per_client: int  # failed proofs from one client, on any orders, within the window
    window_minutes: int  # the window the failures are counted in
    lock_minutes: int  # how long a lock lasts, from the failure that set it


DEFAULTS = {"max_failures_per_order": 10, "max_failures_per_client": 20, "window_minutes": 60,
            "lock_minutes": 60}


def parse_proof_policy(reader: Any) -> ProofPolicy:
    """Read the optional `ownership_proof:` section with the profile's reader."""
    section = reader.settings("ownership_proof", DEFAULTS)

    def value(key: str, low: int, high: int) -> int:
        return reader.whole(f"ownership_proof.{key}", low, high) if key in section else DEFAULTS[key]

    return ProofPolicy(
        max_failures_per_order=value("max_failures_per_order", 1, 1000),
        max_failures_per_client=value("max_failures_per_client", 1, 10000),
        window_minutes=value("window_minutes", 1, 7 * 24 * 60),
        lock_minutes=value("lock_minutes", 1, 7 * 24 * 60),
    )
