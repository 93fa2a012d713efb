"""A customer signed in on the shop's site: their own orders need no proof, others' still do.

Real rasa-sdk Trackers whose latest message carries the widget's metadata, as the socket.io
channel delivers it (credentials.yml: metadata_key customData).
"""
from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from actions.order_status import ActionOrderStatus, ValidateOrderStatusForm
from actions.returns import ValidateReturnForm
from bot.orders.customer_token import SECRET_ENV, sign_customer_token
from tests.support.action_helpers import make_tracker, run, said

SECRET = "action-test-secret-0123456789"
MARIA = "maria.gonzalez@example.com"  # owns 100001 and 100006


@pytest.fixture(autouse=True)
def token_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)


def signed_in(email: str = MARIA, secret: str = SECRET, ttl: int = 600) -> Dict[str, Any]:
    return {"customer_token": sign_customer_token(email, secret, ttl_seconds=ttl)}


async def validate(slots: Dict[str, Any], new: Dict[str, Any], metadata: Optional[Dict[str, Any]],
                   action=None, form: str = "order_status_form"):
    tracker = make_tracker({"requested_slot": "order_number", **slots}, new, metadata=metadata,
                           form=form)
    set_slots, messages, _ = await run(action or ValidateOrderStatusForm(), tracker)
    return set_slots, said(messages)


async def test_signed_in_customer_gets_their_own_order_without_proof(shop_db):
    slots, messages = await validate({}, {"order_number": "100001"}, signed_in())
    assert sorted(slots["verified_orders"]) == ["100001", "100006"]
    assert slots["verified_customer_id"]
    assert slots["requested_slot"] is None  # the form ends: no email or ZIP asked
    assert messages == []

    # ... and the answer is the real status from the database.
    tracker = make_tracker({"order_number": "100001", "verified_orders": slots["verified_orders"]})
    _, answer, _ = await run(ActionOrderStatus(), tracker)
    assert "1Z999AA10123456784" in answer[0]["text"] and "UPS" in answer[0]["text"]


async def test_signed_in_customer_asking_about_someone_elses_order_is_asked_for_proof(shop_db):
    slots, messages = await validate({}, {"order_number": "100002"}, signed_in())  # Li Wei's
    assert "verified_orders" not in slots and "verified_customer_id" not in slots
    assert "requested_slot" not in slots  # the form goes on: Rasa asks for owner_proof
    assert messages == []
    assert "failed_checks" not in slots  # not owning an order is not a failed check

    # With the right proof for that order it verifies as usual.
    slots, _ = await validate({"order_number": "100002", "requested_slot": "owner_proof"},
                              {"owner_proof": "li.wei@example.com"}, signed_in())
    assert sorted(slots["verified_orders"]) == ["100002", "100007"]


async def test_an_unknown_order_is_treated_like_someone_elses(shop_db):
    slots, messages = await validate({}, {"order_number": "999999"}, signed_in())
    assert "verified_orders" not in slots and messages == []


async def test_signed_in_customer_with_a_wrong_proof_for_another_order_fails_as_usual(shop_db):
    slots, messages = await validate({"order_number": "100002", "requested_slot": "owner_proof"},
                                     {"owner_proof": MARIA}, signed_in())
    assert messages == ["utter_verification_failed"]
    assert slots["failed_checks"] == 1.0 and "verified_orders" not in slots


@pytest.mark.parametrize("metadata", [
    None,  # the REST channel, or a widget without a signed-in customer
    {},
    {"customer_token": None},
    {"customer_token": "garbage"},
    {"customer_token": 12345},
    "customer_token=abc",  # a channel passing odd metadata
])
async def test_without_a_valid_token_proof_is_asked(shop_db, metadata):
    slots, messages = await validate({}, {"order_number": "100001"}, metadata)
    assert "verified_orders" not in slots and messages == []
    assert "requested_slot" not in slots  # Rasa asks for owner_proof next


async def test_expired_forged_or_unconfigured_tokens_are_ignored(shop_db, monkeypatch):
    expired = signed_in(ttl=-1)
    forged = signed_in(secret="someone-elses-secret-0123456789")
    for metadata in (expired, forged):
        slots, messages = await validate({}, {"order_number": "100001"}, metadata)
        assert "verified_orders" not in slots and messages == []
    # The action server without a secret believes no token at all.
    good = signed_in()
    monkeypatch.delenv(SECRET_ENV)
    slots, _ = await validate({}, {"order_number": "100001"}, good)
    assert "verified_orders" not in slots


async def test_token_given_when_the_session_started_counts_too(shop_db):
    started = {"session_started_metadata": signed_in()}
    slots, _ = await validate(started, {"order_number": "100006"}, {"model_id": "x"})
    assert sorted(slots["verified_orders"]) == ["100001", "100006"]


async def test_the_latest_messages_token_wins_over_the_session_start(shop_db):
    # Maria's session, then a message saying someone else is signed in: Maria's orders need proof.
    started = {"session_started_metadata": signed_in()}
    slots, _ = await validate(started, {"order_number": "100001"},
                              signed_in("li.wei@example.com"))
    assert "verified_orders" not in slots


async def test_a_database_error_falls_back_to_asking_for_proof(shop_db, monkeypatch):
    from bot.orders import status as order_status

    monkeypatch.setattr(order_status, "check_ownership",
                        lambda *a: (_ for _ in ()).throw(OSError("gone")))
    slots, messages = await validate({}, {"order_number": "100001"}, signed_in())
    assert "verified_orders" not in slots and messages == []


async def test_after_three_failed_checks_a_token_does_not_unlock(shop_db):
    slots, _ = await validate({"failed_checks": 3.0}, {"order_number": "100001"}, signed_in())
    assert "verified_orders" not in slots
    assert slots["requested_slot"] is None  # the final action hands over to a person


async def test_every_order_flow_shares_it_returns_too(shop_db):
    slots, messages = await validate({}, {"order_number": "100006"}, signed_in(),
                                     action=ValidateReturnForm(), form="return_form")
    assert "100006" in slots["verified_orders"]
    assert "utter_verification_failed" not in messages
