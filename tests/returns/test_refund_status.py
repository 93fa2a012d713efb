"""'Where is my refund?' from the returns and refunds in the database."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core.db import session_scope
from bot.core.models import ReturnRequest, ReturnStatus
from bot.orders.lookup import load_order
from bot.returns.refunds import refund_status, refund_status_answer
from bot.returns.service import create_return, facts_of, returns_of
from tests.support.fresh_shop import FIXED_NOW, fresh_shop, profile_with

PROFILE = profile_with()
DAY = timedelta(days=1)


def status_of(session, number: str, now=FIXED_NOW, profile=PROFILE):
    order = load_order(session, number)
    return refund_status(order, [facts_of(r) for r in returns_of(session, order.id)], profile, now)


def test_100008_return_received_refund_pending(session) -> None:
    status = status_of(session, "100008")
    assert status.text == (
        "Your return RMA-100008-1 (Linen Shirt) was received at our warehouse on Saturday, "
        "November 21. Your refund of $59.00 is being processed and will be sent to your "
        "original payment method by Monday, November 30.")  # Thanksgiving skipped
    assert status.pending_refund_cents == 5900 and status.has_activity and not status.offer_human


def test_100007_cancellation_refund(session) -> None:
    status = status_of(session, "100007")
    assert status.text == ("Order #100007 was cancelled on Saturday, November 21.\n"
                           "A refund of $38.95 (the full amount) was issued on Saturday, November 21.")
    assert status.pending_refund_cents == 0 and status.has_activity


def test_orders_without_returns(session) -> None:
    for number in ("100001", "100003", "100005"):
        status = status_of(session, number)
        assert status.text == f"There are no returns or refunds on order #{number}."
        assert not status.has_activity


def test_service_answer_reads_the_shared_shop(shop_db) -> None:
    assert "Your refund of $59.00 is being processed" in refund_status_answer("100008", FIXED_NOW).text
    assert refund_status_answer("999999", FIXED_NOW) is None


def test_an_overdue_refund_offers_a_person(session) -> None:
    on_time = status_of(session, "100008", now=FIXED_NOW + 7 * DAY)  # Monday Nov 30
    assert "is being processed" in on_time.text and not on_time.offer_human
    status = status_of(session, "100008", now=FIXED_NOW + 8 * DAY)  # Tuesday Dec 1
    assert "should have been sent by yesterday, Monday, November 30; I'm sorry it's late" in status.text
    assert status.offer_human


def test_each_return_state_reads_right() -> None:
    engine = fresh_shop()
    with session_scope(engine) as s:
        ids = {i.product.name: i.id for i in load_order(s, "100003").items}
        create_return(s, "100003", [ids["Merino Wool Sweater"]], "wrong size", "refund",
                      PROFILE, FIXED_NOW - 2 * DAY)
        create_return(s, "100003", [ids["Cashmere Scarf"]], "damaged", "refund",
                      PROFILE, FIXED_NOW)
        status = status_of(s, "100003")
        assert status.text.splitlines() == [
            "Your return RMA-100003-1 (Merino Wool Sweater) was started on Saturday, November 21. "
            "We haven't received the parcel yet; once it reaches our warehouse, we'll refund "
            "$89.00 to your original payment method within 5 business days.",
            "Your return RMA-100003-2 (Cashmere Scarf) was started today. We haven't received "
            "the parcel yet; once it reaches our warehouse, we'll refund $45.00 to your "
            "original payment method within 5 business days.",
            "In total, $134.00 is still to be refunded.",
        ]
        assert status.pending_refund_cents == 13400
        first, second = s.execute(select(ReturnRequest).where(
            ReturnRequest.rma.in_(["RMA-100003-1", "RMA-100003-2"])).order_by(ReturnRequest.id)
        ).scalars()
        first.status, first.refunded_at = ReturnStatus.REFUNDED, FIXED_NOW - DAY
        second.status = ReturnStatus.REJECTED
        s.flush()
        status = status_of(s, "100003")
        assert status.text.splitlines() == [
            "Your return RMA-100003-1 (Merino Wool Sweater) is complete: we refunded $89.00 to "
            "your original payment method yesterday. Depending on your bank, it can take a few "
            "days to show.",
            "Your return RMA-100003-2 (Cashmere Scarf) couldn't be accepted. Our team can "
            "explain why and what we can do.",
        ]
        assert status.pending_refund_cents == 0 and status.offer_human


def test_a_cancelled_order_without_a_refund_offers_a_person() -> None:
    engine = fresh_shop()
    with session_scope(engine) as s:
        load_order(s, "100007").refunded_cents = 0
        s.flush()
        status = status_of(s, "100007")
    assert "I don't see a refund on it yet" in status.text and status.offer_human
