"""Cancelling an order and changing its address before shipment: every change and refusal.

These tests write, so they use a demo shop of their own (not the shared `shop_db`), and each
test rolls its session back.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core.db import make_engine, session_scope
from bot.core.models import Order, OrderStatus, Shipment, ShipmentStatus, ShippingMethod
from bot.orders import changes
from bot.orders.change_messages import (
    render_address_change,
    render_address_confirmation,
    render_cancel,
    render_cancel_confirmation,
)
from bot.orders.changes import ChangeOutcome, cancel_order, change_address, check_change
from bot.profile.shop_profile import load_profile
from bot.shipping.addresses import Address
from bot.shopdata.demo import generate_demo_shop
from tests.conftest import FIXED_NOW

PROFILE = load_profile()
LATER = FIXED_NOW + timedelta(hours=3)
SAN_FRANCISCO = Address("500 Market St", "Apt 4", "San Francisco", "CA", "94105", "US")
BROOKLYN = Address("1 Main St", None, "Brooklyn", "NY", "11201", "US")
BERLIN = Address("Unter den Linden 77", None, "Berlin", None, "10117", "DE")


def new_shop(path) -> str:
    url = f"sqlite:///{path}"
    generate_demo_shop(make_engine(url), seed=7, now=FIXED_NOW, n_orders=20, show_progress=False)
    return url


@pytest.fixture(scope="module")
def shop_url(tmp_path_factory) -> str:
    return new_shop(tmp_path_factory.mktemp("changes") / "shop.db")


@pytest.fixture
def s(shop_url):
    session = sessionmaker(bind=make_engine(shop_url), future=True)()
    yield session
    session.rollback()
    session.close()


def order(s: Session, number: str) -> Order:
    return s.execute(select(Order).where(Order.number == number)).scalar_one()


def columns(o: Order):
    return (o.status, o.cancelled_at, o.refunded_cents, o.refunded_at, o.shipping_line1,
            o.shipping_line2, o.shipping_city, o.shipping_region, o.shipping_zip, o.shipping_country)


# --------------------------------------------------------------------------- cancelling


def test_a_processing_order_is_cancelled_and_refunded_in_full(s):
    result = cancel_order(s, "100002", FIXED_NOW)
    row = order(s, "100002")
    assert result.outcome is ChangeOutcome.DONE
    assert row.status == OrderStatus.CANCELLED
    assert row.cancelled_at == FIXED_NOW and row.refunded_at == FIXED_NOW
    assert row.refunded_cents == row.total_cents == 5495
    assert render_cancel(result, FIXED_NOW, PROFILE) == (
        "Order 100002 is cancelled. $54.95 goes back to your original payment method within "
        "5 business days.")


def test_cancelling_twice_is_harmless(s):
    cancel_order(s, "100002", FIXED_NOW)
    before = columns(order(s, "100002"))
    again = cancel_order(s, "100002", LATER)
    assert again.outcome is ChangeOutcome.ALREADY_CANCELLED
    assert columns(order(s, "100002")) == before
    assert again.facts.cancelled_at == FIXED_NOW and again.facts.refunded_cents == 5495


def test_the_reference_cancelled_order_stays_as_it_was(s):
    before = columns(order(s, "100007"))
    result = cancel_order(s, "100007", FIXED_NOW)
    assert result.outcome is ChangeOutcome.ALREADY_CANCELLED
    assert columns(order(s, "100007")) == before
    assert result.facts.cancelled_at == FIXED_NOW - timedelta(days=2)
    assert render_cancel(result, FIXED_NOW, PROFILE) == (
        "Order 100007 was already cancelled on Saturday, November 21, and the refund of $38.95 "
        "was issued to your original payment method. There's nothing more to do.")


def test_a_shipped_order_cannot_be_cancelled_and_the_return_path_is_offered(s):
    before = columns(order(s, "100001"))
    result = cancel_order(s, "100001", FIXED_NOW)
    assert result.outcome is ChangeOutcome.ALREADY_SHIPPED
    assert columns(order(s, "100001")) == before and before[0] == OrderStatus.SHIPPED
    assert render_cancel(result, FIXED_NOW, PROFILE) == (
        "Order 100001 already shipped with UPS yesterday, so it's too late to cancel it. Once it "
        "arrives you can return it: returns are accepted within 30 days of delivery.")


def test_a_delivered_order_cannot_be_cancelled(s):
    result = cancel_order(s, "100003", FIXED_NOW)
    assert result.outcome is ChangeOutcome.ALREADY_SHIPPED
    assert order(s, "100003").status == OrderStatus.DELIVERED
    assert render_cancel(result, FIXED_NOW, PROFILE).startswith(
        "Order 100003 was delivered on Friday, November 13, so it's too late to cancel it. You can return it")


def test_a_processing_order_with_a_shipping_label_counts_as_shipped(s):
    row = order(s, "100002")
    s.add(Shipment(order_id=row.id, carrier="USPS", service_level="standard", tracking_number="9400TEST",
                   status=ShipmentStatus.LABEL_CREATED, shipped_at=FIXED_NOW,
                   estimated_delivery_at=FIXED_NOW + timedelta(days=4)))
    s.flush()
    s.expire(row)
    assert cancel_order(s, "100002", FIXED_NOW).outcome is ChangeOutcome.ALREADY_SHIPPED
    assert order(s, "100002").status == OrderStatus.PROCESSING


def test_a_pending_order_can_be_cancelled(s):
    order(s, "100002").status = OrderStatus.PENDING
    assert cancel_order(s, "100002", FIXED_NOW).outcome is ChangeOutcome.DONE


def test_an_unknown_order_is_not_found(s):
    result = cancel_order(s, "999999", FIXED_NOW)
    assert result.outcome is ChangeOutcome.NOT_FOUND
    assert render_cancel(result, FIXED_NOW, PROFILE) == "I couldn't find order 999999. Could you check the number?"


def test_the_check_before_confirming_changes_nothing(s):
    before = columns(order(s, "100002"))
    result = check_change(s, "100002")
    assert result.outcome is ChangeOutcome.ALLOWED and columns(order(s, "100002")) == before
    assert render_cancel_confirmation(result, FIXED_NOW, PROFILE) == (
        "Order 100002 (2 × Ceramic Mug Set) hasn't shipped yet, so I can cancel it and refund "
        "$54.95 to your original payment method. Shall I cancel it?")
    assert check_change(s, "100001").outcome is ChangeOutcome.ALREADY_SHIPPED
    assert check_change(s, "100007").outcome is ChangeOutcome.ALREADY_CANCELLED


def test_a_cancellation_is_committed_by_the_callers_session_scope(tmp_path):
    engine = make_engine(new_shop(tmp_path / "shop.db"))
    with session_scope(engine) as session:
        cancel_order(session, "100002", FIXED_NOW)
    with session_scope(engine) as session:
        row = order(session, "100002")
        assert (row.status, row.refunded_cents, row.cancelled_at) == (OrderStatus.CANCELLED, 5495, FIXED_NOW)


def test_the_assistants_calls_open_their_own_session_and_commit(writable_shop):
    assert changes.may_change("100002").outcome is ChangeOutcome.ALLOWED
    assert changes.readdress("100002", SAN_FRANCISCO, PROFILE.shipping).outcome is ChangeOutcome.DONE
    assert changes.cancel("100002", FIXED_NOW).outcome is ChangeOutcome.DONE
    assert changes.may_change("100002").outcome is ChangeOutcome.ALREADY_CANCELLED
    with session_scope(make_engine(writable_shop)) as session:
        row = order(session, "100002")
        assert (row.shipping_city, row.status, row.refunded_cents) == ("San Francisco", OrderStatus.CANCELLED, 5495)


# --------------------------------------------------------------------------- changing the address


def test_the_address_of_a_processing_order_is_changed(s):
    result = change_address(s, "100002", SAN_FRANCISCO, PROFILE.shipping)
    row = order(s, "100002")
    assert result.outcome is ChangeOutcome.DONE
    assert (row.shipping_line1, row.shipping_line2, row.shipping_city, row.shipping_region,
            row.shipping_zip, row.shipping_country) == ("500 Market St", "Apt 4", "San Francisco", "CA", "94105", "US")
    assert row.shipping_name == "Li Wei" and row.status == OrderStatus.PROCESSING
    assert result.previous_address.one_line() == "245 W 29th St, Apt 12C, New York, NY 10001"
    assert render_address_change(result, FIXED_NOW, PROFILE) == (
        "Done: order 100002 will now go to 500 Market St, Apt 4, San Francisco, CA 94105.")


@pytest.mark.parametrize("number, outcome", [("100001", ChangeOutcome.ALREADY_SHIPPED),
                                             ("100003", ChangeOutcome.ALREADY_SHIPPED),
                                             ("100007", ChangeOutcome.ALREADY_CANCELLED),
                                             ("999999", ChangeOutcome.NOT_FOUND)])
def test_addresses_of_shipped_or_cancelled_orders_stay_as_they_are(s, number, outcome):
    before = columns(order(s, number)) if number != "999999" else None
    result = change_address(s, number, SAN_FRANCISCO, PROFILE.shipping)
    assert result.outcome is outcome
    if before:
        assert columns(order(s, number)) == before


def test_refusals_explain_and_offer_a_person(s):
    shipped = render_address_change(change_address(s, "100001", SAN_FRANCISCO, PROFILE.shipping), FIXED_NOW, PROFILE)
    assert shipped == ("Order 100001 already shipped with UPS yesterday, so it's too late to change its "
                       "address. A person on our team can ask the carrier whether it can be redirected.")
    cancelled = render_address_change(change_address(s, "100007", SAN_FRANCISCO, PROFILE.shipping), FIXED_NOW, PROFILE)
    assert cancelled == "Order 100007 is cancelled, so there's no address to change."


def test_a_domestic_method_cannot_be_sent_abroad(s):
    before = columns(order(s, "100002"))
    result = change_address(s, "100002", BERLIN, PROFILE.shipping)
    assert result.outcome is ChangeOutcome.NOT_DELIVERABLE and columns(order(s, "100002")) == before
    assert render_address_change(result, FIXED_NOW, PROFILE) == (
        "Order 100002 ships with Standard, which doesn't deliver to Germany. A person on our team "
        "can help you change the order.")


def test_a_same_day_order_must_stay_in_the_same_day_area(s):
    row = order(s, "100002")
    row.shipping_method = s.execute(select(ShippingMethod).where(ShippingMethod.code == "same_day")).scalar_one()
    s.flush()
    refused = change_address(s, "100002", BROOKLYN, PROFILE.shipping)
    assert refused.outcome is ChangeOutcome.NOT_DELIVERABLE
    assert "Same-Day, which only delivers to parts of San Francisco and Reno" in render_address_change(
        refused, FIXED_NOW, PROFILE)
    assert change_address(s, "100002", SAN_FRANCISCO, PROFILE.shipping).outcome is ChangeOutcome.DONE


def test_address_prompts(s):
    assert render_address_confirmation("100002", BERLIN, PROFILE) == (
        "Change the shipping address of order 100002 to Unter den Linden 77, 10117 Berlin, Germany?")
    assert render_address_change(check_change(s, "100002"), FIXED_NOW, PROFILE) == (
        "Order 100002 hasn't shipped yet, so its address can still be changed. It's going to "
        "245 W 29th St, Apt 12C, New York, NY 10001 now. What's the new address?")
