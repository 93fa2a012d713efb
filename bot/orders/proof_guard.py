"""Failed proofs of ownership counted in the database, so guessing a ZIP cannot be spread over
fresh conversations, channels, restarts or servers.

A check first records a pending failure, then counts the failures recorded before it: so
parallel guesses count against each other too. The order's proof is locked once
`max_failures_per_order` failures fall within `window_minutes`, for `lock_minutes` after the
one that set it; a client (an IP, or a messaging app's user) is locked the same way after
`max_failures_per_client` failures on any orders. A refused check is not counted (a lock that
an attacker could prolong forever would lock the owner out for good); a proof that holds
removes its pending row.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, List, Optional, Sequence

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from bot.core import settings
from bot.core.db import engine_with_table, session_scope
from bot.core.models import FailedProof
from bot.orders import status as order_status
from bot.orders.status import OwnershipCheck
from bot.profile.proof_policy import ProofPolicy
from bot.profile.shop_profile import current_profile

VERIFIED, FAILED, LOCKED = "verified", "failed", "locked"
#: The message-metadata key under which the web channels pass the client's address
#: (channels/client_address.py); messaging apps' users are known by their own ids.
CLIENT_METADATA_KEY = "client"
#: The slot the ownership forms keep the customer's proof (ZIP or email) in (domain.yml).
PROOF_SLOT = "owner_proof"


@dataclass(frozen=True)
class GuardedCheck:
    outcome: str  # VERIFIED, FAILED or LOCKED
    check: OwnershipCheck
    #: For FAILED and LOCKED: until when this order (or client) refuses proofs; None if not locked.
    locked_until: Optional[datetime] = None


def client_key(client: str) -> str:
    """What is stored for a client: a hash, so the table holds no IP or phone number."""
    return hashlib.sha256(client.encode()).hexdigest()[:32]


def lock_end(times: Sequence[datetime], policy: ProofPolicy, limit: int) -> Optional[datetime]:
    """When the lock set by these failure times ends; None if `limit` of them never fell within
    the window. Times in any order."""
    ordered = sorted(times)
    window, lock = timedelta(minutes=policy.window_minutes), timedelta(minutes=policy.lock_minutes)
    ends = [ordered[i] + lock for i in range(limit - 1, len(ordered))
            if ordered[i] - ordered[i - limit + 1] <= window]
    return max(ends) if ends else None


def guarded_check(order_number: str, proof: str, client: str, now: datetime,
                  check: Optional[Callable[[str, str], OwnershipCheck]] = None) -> GuardedCheck:
    """Check a proof unless the order or the client is locked; count it when it fails."""
    policy = current_profile().ownership_proof
    engine = engine_with_table(settings.database_url(), FailedProof.__tablename__)
    key = client_key(client)
    since = now - timedelta(minutes=policy.window_minutes + policy.lock_minutes)
    with session_scope(engine) as session:
        pending = FailedProof(order_number=order_number, client=key, at=now)
        session.add(pending)
        session.flush()
        pending_id = pending.id
    with session_scope(engine) as session:
        earlier = FailedProof.id < pending_id
        by_order: List[datetime] = list(session.execute(select(FailedProof.at).where(
            earlier, FailedProof.order_number == order_number, FailedProof.at >= since)).scalars())
        by_client: List[datetime] = list(session.execute(select(FailedProof.at).where(
            earlier, FailedProof.client == key, FailedProof.at >= since)).scalars())
    locked_until = _current_lock(by_order, by_client, policy, now)
    if locked_until is not None:
        _forget(engine, pending_id)
        return GuardedCheck(LOCKED, OwnershipCheck(verified=False), locked_until)
    try:
        result = (check or order_status.check_ownership)(order_number, proof)
    except Exception:
        _forget(engine, pending_id)  # not a failed proof: the shop could not check it
        raise
    if result.verified:
        _forget(engine, pending_id)
        return GuardedCheck(VERIFIED, result)
    return GuardedCheck(FAILED, result, _current_lock(by_order + [now], by_client + [now], policy, now))


def _current_lock(by_order: List[datetime], by_client: List[datetime], policy: ProofPolicy,
                  now: datetime) -> Optional[datetime]:
    ends = [end for end in (lock_end(by_order, policy, policy.max_failures_per_order),
                            lock_end(by_client, policy, policy.max_failures_per_client))
            if end is not None and end > now]
    return max(ends) if ends else None


def _forget(engine: Engine, pending_id: int) -> None:
    with session_scope(engine) as session:
        session.execute(delete(FailedProof).where(FailedProof.id == pending_id))

