"""Return eligibility: delivered, inside the window (shop calendar), not final sale, not returned."""
from __future__ import annotations

from datetime import date, datetime
from typing import List, Optional

import pytest

from bot.core.models import (
    Order,
    OrderItem,
    OrderStatus,
    Product,
    ReturnItem,
    ReturnRequest,
    ReturnStatus,
    Shipment,
)
from bot.profile.shop_profile import load_profile
from bot.returns import eligibility as el
from bot.returns.service import eligibility
from tests.conftest import FIXED_NOW

PROFILE = load_profile()  # America/Los_Angeles, 30 days, final-sale category "clearance"


def item(item_id: int, name: str = "Linen Shirt", quantity: int = 1, category: str = "tops",
         final_sale: bool = False, price: int = 5900) -> OrderItem:
    product = Product(name=name, category=category, final_sale=final_sale, price_cents=price)
    return OrderItem(id=item_id, quantity=quantity, unit_price_cents=price, product=product)


def order(items: List[OrderItem], delivered_at: Optional[datetime],
          status: OrderStatus = OrderStatus.DELIVERED, shipped: bool = True) -> Order:
    shipments = [Shipment(delivered_at=delivered_at)] if shipped else []
    return Order(number="123456", status=status, items=items, shipments=shipments)


def a_return(rma: str, lines: dict, status: ReturnStatus = ReturnStatus.REQUESTED) -> ReturnRequest:
    return ReturnRequest(rma=rma, status=status,
                         items=[ReturnItem(order_item_id=i, quantity=q) for i, q in lines.items()])


def check(o: Order, now: datetime, returns=()) -> el.OrderEligibility:
    return el.check_order(o, list(returns), PROFILE, now)


# --------------------------------------------------------------------------- window edges

# Delivered at 20:00 UTC on Oct 24 = 13:00 in Los Angeles: day D is October 24, so the last
# day to start a return is November 23 (D + 30).
DELIVERED = datetime(2026, 10, 24, 20, 0)


@pytest.mark.parametrize("now, eligible", [
    (datetime(2026, 11, 23, 12, 0), True),  # day 30
    (datetime(2026, 11, 24, 7, 59), True),  # still Nov 23, 23:59 in Los Angeles
    (datetime(2026, 11, 24, 8, 0), False),  # Nov 24, 00:00 in Los Angeles: day 31
    (datetime(2026, 11, 24, 12, 0), False),  # day 31
])
def test_day_30_is_the_last_day(now: datetime, eligible: bool) -> None:
    result = check(order([item(1)], DELIVERED), now)
    assert result.last_day == date(2026, 11, 23)
    assert result.items[0].eligible is eligible
    if not eligible:
        assert result.items[0].code == el.WINDOW_CLOSED
        assert result.items[0].reason == "the 30-day return window closed yesterday"


def test_delivery_date_is_the_shops_calendar_day() -> None:
    # 03:00 UTC on Oct 25 is 20:00 on Oct 24 in Los Angeles: day D is October 24, not 25.
    late_evening = datetime(2026, 10, 25, 3, 0)
    result = check(order([item(1)], late_evening), datetime(2026, 11, 24, 12, 0))
    assert result.delivered_on == date(2026, 10, 24)
    assert result.last_day == date(2026, 11, 23)
    assert result.items[0].code == el.WINDOW_CLOSED


def test_the_window_length_comes_from_the_profile() -> None:
    from dataclasses import replace

    result = el.check_order(order([item(1)], DELIVERED), [],
                            replace(PROFILE, return_window_days=14), datetime(2026, 11, 8, 12))
    assert result.last_day == date(2026, 11, 7)
    assert result.items[0].reason == "the 14-day return window closed yesterday"


# --------------------------------------------------------------------------- other rules

def test_final_sale_by_flag_or_by_category() -> None:
    items = [item(1, "Rain Jacket", final_sale=True), item(2, "Old Hat", category="Clearance"),
             item(3, "Socks")]
    result = check(order(items, DELIVERED), FIXED_NOW)
    assert [i.code for i in result.items] == [el.FINAL_SALE, el.FINAL_SALE, el.ELIGIBLE]
    assert result.items[0].reason == "final-sale items can't be returned"


def test_not_delivered_and_cancelled() -> None:
    in_transit = check(order([item(1)], None), FIXED_NOW)
    assert in_transit.items[0].code == el.NOT_DELIVERED
    assert in_transit.items[0].reason == "it hasn't been delivered yet"
    assert check(order([item(1)], None, shipped=False), FIXED_NOW).items[0].code == el.NOT_DELIVERED
    cancelled = check(order([item(1)], None, OrderStatus.CANCELLED, shipped=False), FIXED_NOW)
    assert cancelled.items[0].code == el.CANCELLED


def test_partly_returned_quantity_stays_returnable() -> None:
    o = order([item(1, quantity=3), item(2, "Mug")], DELIVERED)
    result = check(o, FIXED_NOW, [a_return("RMA-123456-1", {1: 2})])
    assert [(i.code, i.returnable_quantity) for i in result.items] == [
        (el.ELIGIBLE, 1), (el.ELIGIBLE, 1)]


def test_fully_returned_item_names_the_rma_and_rejected_returns_do_not_count() -> None:
    o = order([item(1, quantity=2), item(2, "Mug")], DELIVERED)
    returns = [a_return("RMA-123456-1", {1: 1}, ReturnStatus.REFUNDED),
               a_return("RMA-123456-2", {1: 1, 2: 1}, ReturnStatus.REJECTED),
               a_return("RMA-123456-3", {1: 1})]
    result = check(o, FIXED_NOW, returns)
    assert result.items[0].code == el.ALREADY_RETURNED
    assert result.items[0].reason == "it's already in return RMA-123456-1, RMA-123456-3"
    assert result.items[1].eligible  # its only return was rejected


def test_already_returned_wins_over_a_closed_window() -> None:
    result = check(order([item(1)], DELIVERED), datetime(2026, 12, 30), [a_return("R-1", {1: 1})])
    assert result.items[0].code == el.ALREADY_RETURNED


# --------------------------------------------------------------------------- reference orders

def codes(session, number: str) -> dict:
    result = eligibility(session, number, PROFILE, FIXED_NOW)
    return {i.name: (i.code, i.reason) for i in result.items}


def test_reference_orders(session) -> None:
    assert codes(session, "100003") == {
        "Merino Wool Sweater": (el.ELIGIBLE, ""), "Cashmere Scarf": (el.ELIGIBLE, "")}
    assert codes(session, "100004") == {"Bluetooth Headphones": (
        el.WINDOW_CLOSED, "the 30-day return window closed on Sunday, November 8")}
    assert codes(session, "100006") == {
        "Clearance Rain Jacket": (el.FINAL_SALE, "final-sale items can't be returned"),
        "Running Socks 3-pack": (el.ELIGIBLE, "")}
    assert codes(session, "100008") == {
        "Linen Shirt": (el.ALREADY_RETURNED, "it's already in return RMA-100008-1")}
    assert codes(session, "100001")["Trail Running Shoes"][0] == el.NOT_DELIVERED
    assert codes(session, "100007")["Canvas Tote Bag"][0] == el.CANCELLED


def test_reference_window_dates(session) -> None:
    result = eligibility(session, "100003", PROFILE, FIXED_NOW)
    assert (result.delivered_on, result.last_day) == (date(2026, 11, 13), date(2026, 12, 13))
    assert eligibility(session, "999999", PROFILE, FIXED_NOW) is None
