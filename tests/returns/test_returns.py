"""Creating returns: the rows written, idempotency, policy checks, and the texts."""
from __future__ import annotations

from typing import Dict

import pytest
from sqlalchemy import select

from bot.core.db import engine_for, session_scope
from bot.core.models import OrderItem, Product, ReturnRequest, ReturnStatus
from bot.returns.messages import (
    return_confirmation_text,
    return_policy_text,
    returnable_items_text,
)
from bot.returns.service import create_return, eligibility, returnable_items, start_return
from tests.support.fresh_shop import FIXED_NOW, fresh_shop, profile_with

PROFILE = profile_with()


@pytest.fixture
def shop():
    return fresh_shop()


def item_ids(session, number: str) -> Dict[str, int]:
    check = eligibility(session, number, PROFILE, FIXED_NOW)
    return {i.name: i.order_item_id for i in check.items}


def all_returns(engine):
    with session_scope(engine) as s:
        return [(r.rma, r.status.value, r.resolution.value, r.reason, r.reason_detail,
                 r.refund_method, r.refund_cents, r.created_at, r.updated_at,
                 [(line.order_item.product.name, line.quantity) for line in r.items])
                for r in s.execute(select(ReturnRequest).order_by(ReturnRequest.id)).scalars()]


def create(engine, number, items, reason="wrong size", resolution="refund", profile=PROFILE,
           **kw):
    with session_scope(engine) as s:
        ids = item_ids(s, number)
        chosen = {ids[k]: v for k, v in items.items()} if isinstance(items, dict) else [
            ids[name] for name in items]
        return create_return(s, number, chosen, reason, resolution, profile, FIXED_NOW, **kw)


SHIPPED_RETURN = ("RMA-100008-1", "received", "refund", "wrong size", None,
                  "original payment method", 5900)


def test_a_return_writes_one_row_with_its_items(shop) -> None:
    result = create(shop, "100003", ["Merino Wool Sweater"], reason="Wrong  Size",
                    reason_detail="  too tight on the shoulders ")
    assert result.code == "created" and not result.existing
    assert result.facts.rma == "RMA-100003-1" and result.facts.refund_cents == 8900
    rows = all_returns(shop)
    assert rows[0][:7] == SHIPPED_RETURN
    assert rows[1] == ("RMA-100003-1", "requested", "refund", "wrong size",
                       "too tight on the shoulders", "original payment method", 8900,
                       FIXED_NOW, FIXED_NOW, [("Merino Wool Sweater", 1)])


def test_asking_twice_returns_the_existing_rma(shop) -> None:
    first = create(shop, "100003", ["Merino Wool Sweater", "Cashmere Scarf"])
    again = create(shop, "100003", ["Cashmere Scarf"], reason="changed my mind",
                   resolution="exchange")
    assert again.code == "existing" and again.existing
    assert again.facts.rma == first.facts.rma == "RMA-100003-1"
    assert len(all_returns(shop)) == 2  # the reference return and this one, nothing more
    text = return_confirmation_text(again, PROFILE, FIXED_NOW)
    assert "already have a return" in text and "RMA-100003-1" in text


def test_the_reference_return_is_reused(shop) -> None:
    result = create(shop, "100008", ["Linen Shirt"])
    assert result.existing and result.facts.rma == "RMA-100008-1"
    assert "received at our warehouse on Saturday, November 21" in return_confirmation_text(
        result, PROFILE, FIXED_NOW)
    assert len(all_returns(shop)) == 1


def test_partial_return_of_a_multi_item_order(shop) -> None:
    create(shop, "100003", ["Merino Wool Sweater"])
    with session_scope(shop) as s:
        check = eligibility(s, "100003", PROFILE, FIXED_NOW)
    assert [(i.name, i.eligible) for i in check.items] == [
        ("Merino Wool Sweater", False), ("Cashmere Scarf", True)]
    both = create(shop, "100003", ["Merino Wool Sweater", "Cashmere Scarf"])
    assert both.code == "created" and both.facts.rma == "RMA-100003-2"
    assert both.facts.item_names == ("Cashmere Scarf",) and both.facts.refund_cents == 4500
    assert [f.rma for f in both.also_existing] == ["RMA-100003-1"]
    assert [r[0] for r in all_returns(shop)] == ["RMA-100008-1", "RMA-100003-1", "RMA-100003-2"]


def test_a_quantity_can_be_chosen(shop) -> None:
    with session_scope(shop) as s:  # give the scarf line a quantity of 3
        s.execute(select(OrderItem).join(Product).where(Product.name == "Cashmere Scarf")
                  ).scalar_one().quantity = 3
    assert create(shop, "100003", {"Cashmere Scarf": 4}).code == "bad_quantity"
    result = create(shop, "100003", {"Cashmere Scarf": 2})
    assert result.facts.refund_cents == 9000
    assert all_returns(shop)[-1][-1] == [("Cashmere Scarf", 2)]
    assert create(shop, "100003", {"Cashmere Scarf": 1}).existing  # it is in an open return


def test_a_rejected_return_does_not_block_a_new_one(shop) -> None:
    create(shop, "100003", ["Cashmere Scarf"])
    with session_scope(shop) as s:
        s.execute(select(ReturnRequest).where(ReturnRequest.rma == "RMA-100003-1")
                  ).scalar_one().status = ReturnStatus.REJECTED
    again = create(shop, "100003", ["Cashmere Scarf"])
    assert again.code == "created" and again.facts.rma == "RMA-100003-2"


def test_exchange_follows_the_policy(shop) -> None:
    refused = create(shop, "100003", ["Cashmere Scarf"], resolution="exchange",
                     profile=profile_with(exchange_allowed=False))
    assert refused.code == "exchange_not_allowed" and "don't offer exchanges" in refused.message
    assert len(all_returns(shop)) == 1
    allowed = create(shop, "100003", ["Cashmere Scarf"], resolution="Exchange")
    assert allowed.code == "created"
    assert all_returns(shop)[-1][2:7] == ("exchange", "wrong size", None, None, 0)
    assert "we'll send your exchange" in return_confirmation_text(allowed, PROFILE, FIXED_NOW)


def test_customer_paid_return_shipping_is_deducted(shop) -> None:
    profile = profile_with(return_shipping_paid_by="customer")
    result = create(shop, "100003", ["Cashmere Scarf"], profile=profile, refund_method="Store Credit")
    assert result.facts.refund_cents == 4500 - 695
    assert result.facts.refund_method == "store credit"
    text = return_confirmation_text(result, profile, FIXED_NOW)
    assert "$6.95 cost comes off your refund" in text and "refund $38.05 to your store credit" in text


@pytest.mark.parametrize("number, items, kw, code, words", [
    ("100006", ["Clearance Rain Jacket"], {}, "ineligible", "final-sale items can't be returned"),
    ("100004", ["Bluetooth Headphones"], {}, "ineligible", "closed on Sunday, November 8"),
    ("100001", ["Trail Running Shoes"], {}, "ineligible", "hasn't been delivered yet"),
    ("100003", ["Cashmere Scarf"], {"reason": "it's ugly"}, "bad_reason", "wrong size, changed"),
    ("100003", ["Cashmere Scarf"], {"resolution": "cash"}, "bad_resolution", "refund or an exchange"),
    ("100003", ["Cashmere Scarf"], {"refund_method": "bitcoin"}, "bad_refund_method", "store credit"),
    ("100003", [], {}, "no_items", "at least one item"),
])
def test_nothing_is_written_for_a_refused_request(shop, number, items, kw, code, words) -> None:
    result = create(shop, number, items, **kw)
    assert (result.code, result.ok) == (code, False)
    assert words in result.message
    assert return_confirmation_text(result, PROFILE, FIXED_NOW) == result.message
    assert len(all_returns(shop)) == 1


@pytest.mark.parametrize("number, chosen", [
    ("100003", ["not-a-number"]), ("100003", [1]),  # item 1 belongs to order 100001
    ("999999", [3]),
])
def test_bad_items_and_unknown_orders_are_refused(shop, number, chosen) -> None:
    with session_scope(shop) as s:
        result = create_return(s, number, chosen, "wrong size", "refund", PROFILE, FIXED_NOW)
    assert result.code in ("unknown_item", "not_found") and not result.ok
    assert len(all_returns(shop)) == 1


def test_confirmation_lists_the_next_steps(shop) -> None:
    result = create(shop, "100003", ["Merino Wool Sweater", "Cashmere Scarf"])
    text = return_confirmation_text(result, PROFILE, FIXED_NOW)
    assert "Your return number is RMA-100003-1 (Merino Wool Sweater, Cashmere Scarf)" in text
    assert "prepaid return label: return shipping is free" in text
    assert "within 20 days (by Sunday, December 13)" in text
    assert "refund $134.00 to your original payment method within 5 business days" in text


def test_returnable_items_text(session) -> None:
    text = returnable_items_text(eligibility(session, "100006", PROFILE, FIXED_NOW), PROFILE)
    assert "you can return until Friday, December 18:\n• Running Socks 3-pack ($15.00)" in text
    assert "• Clearance Rain Jacket: final-sale items can't be returned." in text
    closed = returnable_items_text(eligibility(session, "100004", PROFILE, FIXED_NOW), PROFILE)
    assert closed.startswith("Sorry, nothing from order #100004 can be returned")
    assert "window closed on Sunday, November 8" in closed and "our team" in closed


def test_return_policy_comes_from_the_profile() -> None:
    text = return_policy_text(PROFILE)
    for words in ["within 30 days of delivery", "(clearance) can't be returned",
                  "wrong size, changed my mind", "original payment method or as store credit",
                  "you can ask for an exchange", "Return shipping is free",
                  "within 5 business days"]:
        assert words in text
    strict = return_policy_text(profile_with(return_window_days=14, exchange_allowed=False,
                                             return_shipping_paid_by="customer"))
    assert "within 14 days" in strict and "We don't do exchanges" in strict
    assert "a $6.95 prepaid label is deducted" in strict


def test_service_functions_commit_in_their_own_session(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = fresh_shop(url)
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    check = returnable_items("100003", FIXED_NOW, PROFILE)
    scarf = next(i.order_item_id for i in check.eligible if i.name == "Cashmere Scarf")
    result = start_return("100003", [scarf], "damaged", "refund", FIXED_NOW, profile=PROFILE)
    assert result.code == "created"
    assert [r[0] for r in all_returns(engine_for(url))] == ["RMA-100008-1", "RMA-100003-1"]
    assert returnable_items("999999", FIXED_NOW, PROFILE) is None
    engine.dispose()
