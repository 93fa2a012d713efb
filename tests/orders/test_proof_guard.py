"""Failed proofs counted in the database per order and per client (bot.orders.proof_guard)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.db import engine_for, session_scope
from bot.core.models import FailedProof
from bot.orders import proof_guard
from bot.orders.proof_guard import FAILED, LOCKED, VERIFIED, guarded_check, lock_end
from bot.profile.proof_policy import ProofPolicy

NOW = datetime(2026, 11, 23, 12, 0)
POLICY = ProofPolicy(max_failures_per_order=3, max_failures_per_client=5, window_minutes=60, lock_minutes=30)
RIGHT, WRONG = "maria.gonzalez@example.com", "99999"


def minutes(*offsets: int):
    return [NOW + timedelta(minutes=m) for m in offsets]


def test_a_lock_needs_enough_failures_within_the_window():
    assert lock_end(minutes(0, 10), POLICY, 3) is None
    assert lock_end(minutes(0, 61, 122), POLICY, 3) is None  # never three within an hour
    assert lock_end(minutes(0, 10, 20), POLICY, 3) == NOW + timedelta(minutes=50)
    # The latest run of three sets the end, whatever order the times come in.
    assert lock_end(minutes(70, 0, 10, 20, 80), POLICY, 3) == NOW + timedelta(minutes=110)


@pytest.fixture
def policy(monkeypatch: pytest.MonkeyPatch, writable_shop: str) -> ProofPolicy:
    from bot.profile import shop_profile

    real = shop_profile.current_profile()
    monkeypatch.setattr(proof_guard, "current_profile", lambda: type(real)(**{**real.__dict__, "ownership_proof": POLICY}))
    return POLICY


def rows(url: str) -> int:
    with session_scope(engine_for(url)) as session:
        return session.execute(select(func.count()).select_from(FailedProof)).scalar_one()


def test_fresh_clients_cannot_reset_the_count_of_an_order(policy, writable_shop):
    for n in range(3):
        assert guarded_check("100001", WRONG, f"rest:sender-{n}", NOW).outcome == FAILED
    refused = guarded_check("100001", RIGHT, "rest:another-fresh-sender", NOW)
    assert refused.outcome == LOCKED and not refused.check.verified
    assert refused.locked_until == NOW + timedelta(minutes=30)
    assert rows(writable_shop) == 3  # a refused check is not counted (the lock cannot be prolonged)
    # Another order of the shop is not affected, and the lock ends by itself.
    assert guarded_check("100002", "10001", "rest:someone", NOW).outcome == VERIFIED
    later = guarded_check("100001", RIGHT, "rest:x", NOW + timedelta(minutes=31))
    assert later.outcome == VERIFIED and later.check.customer_orders


def test_the_failure_that_sets_the_lock_says_so(policy):
    results = [guarded_check("100003", WRONG, f"c{n}", NOW) for n in range(3)]
    assert [r.locked_until for r in results[:2]] == [None, None]
    assert results[2].outcome == FAILED and results[2].locked_until == NOW + timedelta(minutes=30)


def test_one_client_guessing_across_many_orders_is_throttled(policy):
    for number in ("100001", "100002", "100003", "100004", "100005"):
        assert guarded_check(number, WRONG, "rest:203.0.113.9", NOW).outcome == FAILED
    assert guarded_check("100006", RIGHT, "rest:203.0.113.9", NOW).outcome == LOCKED
    assert guarded_check("100001", RIGHT, "rest:198.51.100.7", NOW).outcome == VERIFIED


def test_a_right_proof_leaves_no_row_and_no_client_value_is_stored(policy, writable_shop):
    guarded_check("100001", RIGHT, "twilio:+14155550100", NOW)
    assert rows(writable_shop) == 0
    guarded_check("100001", WRONG, "twilio:+14155550100", NOW)
    with session_scope(engine_for(writable_shop)) as session:
        stored = session.execute(select(FailedProof.client)).scalar_one()
    assert "14155550100" not in stored and stored == proof_guard.client_key("twilio:+14155550100")


def test_a_database_error_during_the_check_is_not_a_failed_proof(policy, writable_shop):
    def broken(number, proof):
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        guarded_check("100001", WRONG, "c", NOW, check=broken)
    assert rows(writable_shop) == 0


def test_a_shop_database_from_an_older_version_gets_the_table(policy, writable_shop):
    with engine_for(writable_shop).begin() as conn:
        conn.exec_driver_sql("DROP TABLE failed_proofs")
    from bot.core.db import engine_with_table

    engine_with_table.cache_clear()
    assert guarded_check("100001", WRONG, "c", NOW).outcome == FAILED
    assert rows(writable_shop) == 1
