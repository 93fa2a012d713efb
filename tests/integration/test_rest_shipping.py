"""Shipping questions, cancellations and address changes over REST; the database checked after."""
from __future__ import annotations

import pytest

from tests.integration.db_checks import order_row, unshipped_order

pytestmark = pytest.mark.integration


def test_shipping_options_with_the_free_shipping_hint(chat):
    text = chat.text("what shipping options do you have? my cart is $63")
    assert "Next-Day" in text and "$12.00 more" in text


def test_next_day_estimate_is_a_date_from_the_fixed_now(chat):
    assert "Tuesday, November 24" in chat.text("if I order now with next-day, when will it arrive?")


def test_a_place_the_shop_does_not_ship_to_gets_a_clear_no(chat):
    assert "don't ship to Brazil" in chat.text("do you ship to Brazil?")


def test_100002_is_cancelled_after_a_yes(chat, stack_db):
    chat.say("please cancel order 100002")
    assert "Shall I cancel it?" in chat.text("li.wei@example.com")
    assert order_row(stack_db, "100002").status == "processing"
    done = chat.text("/affirm")
    row = order_row(stack_db, "100002")
    assert "is cancelled" in done and row.status == "cancelled" and row.refunded_cents == row.total_cents
    # harmless the second time (and already verified: no proof asked)
    assert "was already cancelled" in chat.text("cancel order 100002")
    assert order_row(stack_db, "100002").cancelled_at == row.cancelled_at


def test_100001_is_not_cancelled_and_the_return_path_is_offered(chat, stack_db):
    chat.say("cancel order 100001")
    replies = chat.say("maria.gonzalez@example.com")
    assert "/return_request" in [b["payload"] for m in replies for b in m.get("buttons", [])]
    assert order_row(stack_db, "100001").status == "shipped"


def test_address_change_is_checked_confirmed_and_saved(chat, stack_db):
    number, email = unshipped_order(stack_db)  # 100002 is cancelled by another test
    chat.say(f"I need to change the shipping address of order {number}")
    assert "new shipping address" in chat.text(email)
    assert "5 digits" in chat.text("500 Market St, San Francisco, CA 9410")
    assert "Change the shipping address" in chat.text("500 Market St, Apt 4, San Francisco, CA 94105")
    assert "Done" in chat.text("yes")
    row = order_row(stack_db, number)
    assert (row.shipping_line1, row.shipping_city, row.shipping_zip) == ("500 Market St", "San Francisco", "94105")


def test_the_address_of_a_shipped_order_cannot_change(chat, stack_db):
    chat.say("change the delivery address for order 100001")
    replies = chat.say("maria.gonzalez@example.com")
    assert "/human_handoff" in [b["payload"] for m in replies for b in m.get("buttons", [])]
    assert order_row(stack_db, "100001").shipping_zip != "94105"


def test_a_zip_shows_the_status_but_changing_the_order_needs_its_email(chat, stack_db):
    number, email = unshipped_order(stack_db)
    zip_code = order_row(stack_db, number).billing_zip
    chat.say(f"where is my order {number}")
    assert f"Order #{number}" in chat.text(zip_code)  # the status: a ZIP is enough
    chat.say("I need to change the delivery address")  # which order? (they may have several)
    asked = chat.text(number)
    assert "email address on the order" in asked and "new shipping address" not in asked
    assert "a ZIP code is enough to see its status" in chat.text(zip_code)
    assert "new shipping address" in chat.text(email)
