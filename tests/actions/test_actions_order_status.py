"""The order-status actions with real rasa-sdk Trackers and CollectingDispatchers."""
from __future__ import annotations

from typing import Any, Dict

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.order_status import ActionListOtherOrders, ActionOrderStatus, ValidateOrderStatusForm
from tests.support.action_helpers import assistant_domain, make_tracker

DOMAIN = assistant_domain()


async def validate(slots: Dict[str, Any], new: Dict[str, Any]):
    dispatcher = CollectingDispatcher()
    events = await ValidateOrderStatusForm().run(dispatcher, make_tracker(slots, new), DOMAIN)
    set_slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return set_slots, [m.get("response") or m.get("text") for m in dispatcher.messages]


def run_action(action, slots: Dict[str, Any]):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, make_tracker(slots), DOMAIN)
    return events, dispatcher.messages


async def test_one_shot_number_and_email_verifies(shop_db):
    slots, said = await validate({}, {"order_number": "100001", "owner_proof": "maria.gonzalez@example.com"})
    assert slots["verified_customer_id"]
    assert sorted(slots["verified_orders"]) == ["100001", "100006"]
    assert slots["requested_slot"] is None  # nothing more to ask
    assert said == []


async def test_billing_zip_verifies_too(shop_db):
    slots, _ = await validate({"order_number": "100002"}, {"owner_proof": "10001"})
    assert sorted(slots["verified_orders"]) == ["100002", "100007"]


async def test_after_order_number_the_form_asks_for_proof(shop_db):
    slots, said = await validate({}, {"order_number": "#100001"})
    assert slots["order_number"] == "100001"
    # The form is not ended: Rasa's form asks for the next empty slot, owner_proof.
    assert "requested_slot" not in slots and slots.get("owner_proof") is None
    assert "verified_orders" not in slots and said == []


@pytest.mark.parametrize("number, proof", [("100001", "li.wei@example.com"), ("999999", "maria.gonzalez@example.com")])
async def test_wrong_email_and_unknown_order_get_the_same_reply(shop_db, number, proof):
    slots, said = await validate({}, {"order_number": number, "owner_proof": proof})
    assert said == ["utter_verification_failed"]
    assert slots["failed_checks"] == 1.0
    assert slots["order_number"] is None and slots["owner_proof"] is None
    assert "requested_slot" not in slots  # the form goes on and asks for the number again
    assert "verified_orders" not in slots


async def test_third_failure_stops_checking(shop_db):
    slots, said = await validate({"failed_checks": 2.0}, {"order_number": "100001", "owner_proof": "00000"})
    assert slots["failed_checks"] == 3.0
    assert slots["requested_slot"] is None  # the form ends; the answer action offers a person
    assert said == []


async def test_after_three_failures_even_the_right_proof_is_not_checked(shop_db):
    slots, said = await validate(
        {"failed_checks": 3.0}, {"order_number": "100001", "owner_proof": "maria.gonzalez@example.com"}
    )
    assert "verified_orders" not in slots and "verified_customer_id" not in slots
    assert slots["requested_slot"] is None


async def test_invalid_order_number_is_explained(shop_db):
    slots, said = await validate({}, {"order_number": "12ab"})
    assert slots["order_number"] is None
    assert said == ["utter_invalid_order_number"]


async def test_already_verified_order_needs_no_new_proof(shop_db):
    verified = {"verified_customer_id": "1", "verified_orders": ["100001", "100006"]}
    slots, said = await validate(verified, {"order_number": "100006"})
    assert slots["requested_slot"] is None and said == []


async def test_another_customers_order_needs_its_own_proof(shop_db):
    verified = {"verified_customer_id": "1", "verified_orders": ["100001", "100006"]}
    slots, _ = await validate(verified, {"order_number": "100003"})
    assert "requested_slot" not in slots  # not ended: Rasa asks for owner_proof next
    assert "100003" not in slots.get("verified_orders", [])


async def test_a_proof_read_back_masked_from_storage_is_asked_for_again_not_counted(writable_shop):
    kept = {"verified_customer_id": "1", "verified_orders": ["100001", "100006"], "owner_proof": "[hidden]"}
    slots, said = await validate(kept, {"order_number": "100003"})
    assert slots["owner_proof"] is None and "requested_slot" not in slots  # Rasa asks for proof
    assert "failed_checks" not in slots and said == []
    slots, said = await validate(kept, {"order_number": "100006"})  # already proven: no question
    assert slots["requested_slot"] is None and said == []


def test_answer_comes_from_the_database_for_a_verified_order(shop_db):
    _, messages = run_action(ActionOrderStatus(), {"order_number": "100001", "verified_orders": ["100001"]})
    text = messages[0]["text"]
    assert "1Z999AA10123456784" in text and "Trail Running Shoes" in text
    assert messages[0]["buttons"] == []


def test_late_parcel_answer_offers_a_person(shop_db):
    _, messages = run_action(ActionOrderStatus(), {"order_number": "100005", "verified_orders": ["100005"]})
    assert "running late" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/human_handoff"


def test_no_answer_without_verification_and_a_person_takes_over(writable_shop):
    from bot.handoff import service as handoff_service

    _, messages = run_action(ActionOrderStatus(), {"order_number": "100001", "failed_checks": 3.0})
    assert messages[0]["response"] == "utter_verification_locked"
    assert "passing you to a person" in messages[1]["text"]
    assert "100001" not in messages[1]["text"]  # nothing about the order leaks
    (handoff,) = handoff_service.list_handoffs("queued")
    assert handoff["reason"] == "verification_failed"


def test_database_error_gives_a_kind_reply(shop_db, monkeypatch, caplog):
    from bot.orders import status as order_status

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(order_status, "order_status_answer", broken)
    _, messages = run_action(ActionOrderStatus(), {"order_number": "100001", "verified_orders": ["100001"]})
    assert [m["response"] for m in messages] == ["utter_lookup_unavailable"]
    assert "database is down" in caplog.text


async def test_database_error_during_the_check_is_not_a_failed_attempt(shop_db, monkeypatch):
    from bot.orders import status as order_status

    monkeypatch.setattr(order_status, "check_ownership", lambda *a: (_ for _ in ()).throw(OSError("gone")))
    slots, said = await validate({}, {"order_number": "100001", "owner_proof": "94107"})
    assert said == ["utter_lookup_unavailable"]
    assert "failed_checks" not in slots or slots["failed_checks"] == 0.0


def test_other_orders_listed_only_for_a_verified_customer(shop_db):
    _, messages = run_action(ActionListOtherOrders(), {})
    assert [m["response"] for m in messages] == ["utter_verify_first"]


def test_other_orders_lists_maria_orders_as_buttons(shop_db):
    from bot.orders.status import check_ownership

    check = check_ownership("100001", "94107")
    events, messages = run_action(
        ActionListOtherOrders(), {"verified_customer_id": str(check.customer_id), "verified_orders": ["100001"]}
    )
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ['/order_status{"order_number":"100001"}', '/order_status{"order_number":"100006"}']
    assert events[0]["value"] == ["100001", "100006"]


async def test_wrong_proofs_from_fresh_conversations_lock_the_order_for_everyone(writable_shop):
    """Ten wrong ZIPs for one order, a few per new conversation (each starts with no failed
    checks): the right email from yet another conversation is refused, kindly."""
    from rasa_sdk import Tracker

    def fresh(sender: str, proof: str) -> Tracker:
        tracker = make_tracker({}, {"order_number": "100003", "owner_proof": proof})
        return Tracker(sender, tracker.slots, tracker.latest_message, tracker.events, False, None,
                       tracker.active_loop, tracker.latest_action_name)

    for n in range(10):
        dispatcher = CollectingDispatcher()
        await ValidateOrderStatusForm().run(dispatcher, fresh(f"attacker-{n // 2}", f"{10000 + n}"), DOMAIN)
    dispatcher = CollectingDispatcher()
    events = await ValidateOrderStatusForm().run(dispatcher, fresh("the-real-owner", "olga.petrova@example.com"), DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert "verified_orders" not in slots and slots["proof_refused"] is True
    assert slots["requested_slot"] is None  # the form ends: no more guesses in this turn
    (message,) = dispatcher.messages
    assert message["response"] == "utter_proof_locked"
    assert message["buttons"][0]["payload"] == "/human_handoff"  # a person is still one press away
    # The flow's answer adds nothing in that turn (no order, no second lock message, no handoff);
    # in a later turn it says why again rather than nothing.
    refused = make_tracker({"order_number": None, "proof_refused": True})
    refused.events.append({"event": "bot", "text": "...", "metadata": {"utter_action": "utter_proof_locked"}})
    dispatcher = CollectingDispatcher()
    ActionOrderStatus().run(dispatcher, refused, DOMAIN)
    assert dispatcher.messages == []
    _, messages = run_action(ActionOrderStatus(), {"order_number": None, "proof_refused": True})
    assert [m["response"] for m in messages] == ["utter_proof_locked"]


async def test_the_next_form_asks_the_database_again(writable_shop):
    slots, said = await validate({"proof_refused": True}, {"order_number": "100001", "owner_proof": "94107"})
    assert slots["proof_refused"] is None
    assert "100001" in slots["verified_orders"] and said == []


def test_a_lockout_hands_each_order_to_a_person_once(writable_shop):
    from rasa_sdk import Tracker

    from bot.handoff import service as handoff_service

    for sender in ("guesser-1", "guesser-2", "guesser-3"):
        base = make_tracker({"failed_checks": 3.0, "failed_orders": ["100003"]})
        tracker = Tracker(sender, base.slots, base.latest_message, base.events, False, None,
                          base.active_loop, base.latest_action_name)
        dispatcher = CollectingDispatcher()
        ActionOrderStatus().run(dispatcher, tracker, DOMAIN)
    assert len(handoff_service.list_handoffs("queued")) == 1
    assert dispatcher.messages[0]["response"] == "utter_proof_locked"  # the third is offered a person
