"""Shipping, cancellation and address-change actions with real trackers, on a fresh shop per test."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.shipping import (
    ActionAskCancelConfirmed,
    ActionCancelOrder,
    ActionChangeAddress,
    ActionDeliveryEstimate,
    ActionShippingOptions,
    ValidateCancelOrderForm,
    ValidateChangeAddressForm,
)
from bot.core.db import engine_for, session_scope
from bot.core.models import Order
from tests.support.action_helpers import make_tracker, run

# Verified with their emails: changing an order needs the email, a ZIP only shows the status.
LI = {"order_number": "100002", "owner_proof": "li.wei@example.com", "verified_orders": ["100002", "100007"],
      "email_verified_orders": ["100002", "100007"]}
MARIA = {"order_number": "100001", "owner_proof": "maria.gonzalez@example.com",
         "verified_orders": ["100001", "100006"], "email_verified_orders": ["100001", "100006"]}
LI_BY_ZIP = {"order_number": "100002", "owner_proof": "10001", "verified_orders": ["100002", "100007"]}


@pytest.fixture
def shop(writable_shop):
    return writable_shop


def order(url, number):
    with session_scope(engine_for(url)) as s:
        return s.execute(select(Order).where(Order.number == number)).scalar_one()


async def ask(action, text, slots=None):
    _, messages, events = await run(action, make_tracker(slots or {}, form=None, text=text))
    return messages[0]["text"], events


async def test_options_with_a_cart_value_give_the_free_shipping_hint(shop):
    text, events = await ask(ActionShippingOptions(), "what shipping options are there? my cart is $63")
    assert "Standard" in text and "Next-Day" in text and "$12.00 more" in text
    assert {"event": "slot", "name": "amount", "value": "6300", "timestamp": None} in events


async def test_after_a_verified_order_when_will_it_arrive_is_about_that_order(shop):
    verified = {"order_number": "100001", "verified_orders": ["100001"]}
    text, _ = await ask(ActionDeliveryEstimate(), "and when will it arrive?", verified)
    assert "Order #100001" in text and "Estimated delivery" in text and "1Z999AA10123456784" in text
    # A new order's delivery to a place is still the shipping estimate, verified order or not.
    text, _ = await ask(ActionDeliveryEstimate(), "how long would an order to Toronto take?", verified)
    assert "Order #100001" not in text and "Toronto" in text


async def test_an_estimate_without_a_verified_order_offers_to_track_one(shop):
    _, messages, _ = await run(ActionDeliveryEstimate(), make_tracker({}, form=None, text="when will my item arrive?"))
    assert messages[0]["buttons"] == [{"title": "Track my order", "payload": "/order_status"}]


async def test_next_day_estimate_is_a_concrete_date(shop):
    text, _ = await ask(ActionDeliveryEstimate(), "if I order now with next-day, when will it arrive?")
    assert "Tuesday, November 24" in text


async def test_places_we_do_not_ship_to_get_a_clear_no(shop):
    text, _ = await ask(ActionDeliveryEstimate(), "do you ship to Brazil?")
    assert "don't ship to Brazil" in text


async def test_a_zone_answer_for_canada(shop):
    text, _ = await ask(ActionDeliveryEstimate(), "how long does it take to Toronto?")
    assert "Canada" in text and "$" in text


async def test_cancel_asks_first_then_cancels_and_refunds(shop):
    slots, _, _ = await run(ValidateCancelOrderForm(), make_tracker(LI, {"order_number": "100002"}, form="cancel_order_form"))
    assert slots["requested_slot"] == "cancel_confirmed"
    _, messages, _ = await run(ActionAskCancelConfirmed(), make_tracker(LI, form="cancel_order_form"))
    assert "Shall I cancel it?" in messages[0]["text"]
    assert order(shop, "100002").status == "processing"
    _, messages, _ = await run(ActionCancelOrder(), make_tracker({**LI, "cancel_confirmed": True}, form=None))
    cancelled = order(shop, "100002")
    assert cancelled.status == "cancelled" and cancelled.refunded_cents == cancelled.total_cents
    assert "is cancelled" in messages[0]["text"]
    _, again, _ = await run(ActionCancelOrder(), make_tracker({**LI, "cancel_confirmed": True}, form=None))
    assert "already" in again[0]["text"] and order(shop, "100002").cancelled_at == cancelled.cancelled_at


async def test_no_keeps_the_order(shop):
    _, messages, _ = await run(ActionCancelOrder(), make_tracker({**LI, "cancel_confirmed": False}, form=None))
    assert "stays" in messages[0]["text"] and order(shop, "100002").status == "processing"


async def test_a_shipped_order_is_not_cancelled_and_the_return_path_is_offered(shop):
    slots, _, _ = await run(ValidateCancelOrderForm(), make_tracker(MARIA, {"order_number": "100001"}, form="cancel_order_form"))
    assert slots["requested_slot"] is None
    _, messages, _ = await run(ActionCancelOrder(), make_tracker(MARIA, form=None))
    assert "/return_request" in [b["payload"] for b in messages[0]["buttons"]]
    assert order(shop, "100001").status == "shipped"


async def test_a_bad_address_is_explained_and_asked_again(shop):
    new = {"new_address": "500 Market St, San Francisco, CA 9410"}
    slots, messages, _ = await run(ValidateChangeAddressForm(), make_tracker(LI, new, form="change_address_form"))
    assert slots["new_address"] is None and "5 digits" in messages[0]["text"]


async def test_a_good_address_is_saved_after_a_yes(shop):
    typed = "500 Market St, Apt 4, San Francisco, CA 94105"
    slots, _, _ = await run(ValidateChangeAddressForm(), make_tracker(LI, {"new_address": typed}, form="change_address_form"))
    assert slots["new_address"] == typed and slots["requested_slot"] == "address_confirmed"
    _, messages, _ = await run(ActionChangeAddress(), make_tracker({**LI, "new_address": typed, "address_confirmed": True}, form=None))
    changed = order(shop, "100002")
    assert (changed.shipping_line1, changed.shipping_city, changed.shipping_zip) == ("500 Market St", "San Francisco", "94105")
    assert "Done" in messages[0]["text"]


@pytest.mark.parametrize("form, validation", [("cancel_order_form", ValidateCancelOrderForm),
                                              ("change_address_form", ValidateChangeAddressForm)])
async def test_an_order_verified_by_zip_needs_its_email_to_be_changed(shop, form, validation):
    """A ZIP is five digits of public knowledge: it shows the status, it does not cancel the
    order or send it elsewhere."""
    slots, _, _ = await run(validation(), make_tracker(LI_BY_ZIP, {"order_number": "100002"}, form=form))
    assert slots["owner_proof"] is None and slots.get("requested_slot", "owner_proof") == "owner_proof"
    slots, messages, _ = await run(validation(), make_tracker(LI_BY_ZIP, {"owner_proof": "10001"}, form=form))
    assert [m["response"] for m in messages] == ["utter_email_needed_for_change"]
    assert slots["owner_proof"] is None
    slots, messages, _ = await run(validation(), make_tracker(LI_BY_ZIP, {"owner_proof": "li.wei@example.com"}, form=form))
    assert "100002" in slots["email_verified_orders"] and messages == []
    assert slots["requested_slot"] in ("cancel_confirmed", "new_address")


async def test_the_change_itself_refuses_an_order_verified_only_by_zip(shop):
    _, messages, _ = await run(ActionCancelOrder(), make_tracker({**LI_BY_ZIP, "cancel_confirmed": True}, form=None))
    assert order(shop, "100002").status == "processing"  # not cancelled
    assert messages[0]["response"] == "utter_verification_locked"  # a person takes it from here
