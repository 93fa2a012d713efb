"""'Where is my refund?': the returns and refunds of one order, from the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import List, Optional

from bot.core.db import session_scope
from bot.core.formatting import money
from bot.core.models import Order, OrderStatus
from bot.core.shop_dates import local_date, long_date, on_day
from bot.orders.lookup import load_order
from bot.profile.shop_profile import ShopProfile, current_profile
from bot.returns.service import ReturnFacts, facts_of, returns_of
from bot.shipping.delivery_dates import add_business_days


@dataclass(frozen=True)
class RefundStatus:
    text: str
    pending_refund_cents: int  # refunds of returns not yet issued
    has_activity: bool  # any return or refund at all
    offer_human: bool  # something a person should look at (rejected, overdue, missing refund)


def _names(f: ReturnFacts) -> str:
    return ", ".join(f.item_names)


def _due(f: ReturnFacts, profile: ShopProfile) -> Optional[date]:
    """The last day to send a received return's refund or exchange: business days of the
    shop (weekends and the shipping holidays excluded)."""
    if f.status != "received" or f.received_at is None:
        return None
    return add_business_days(local_date(f.received_at, profile.timezone),
                             profile.refund_processing_days, profile.shipping.holidays)


def is_overdue(f: ReturnFacts, profile: ShopProfile, now: datetime) -> bool:
    due = _due(f, profile)
    return due is not None and local_date(now, profile.timezone) > due


def return_status_line(f: ReturnFacts, profile: ShopProfile, now: datetime) -> str:
    """One return in plain words, e.g. received on a date with its refund pending."""
    tz, days = profile.timezone, profile.refund_processing_days
    method = f" to your {f.refund_method}" if f.refund_method else ""
    refund = f.resolution == "refund"
    if f.status == "requested":
        then = (f"we'll refund {money(f.refund_cents, profile.currency)}{method}" if refund
                else "we'll send your exchange")
        return (f"Your return {f.rma} ({_names(f)}) was started {on_day(f.created_at, now, tz)}. "
                f"We haven't received the parcel yet; once it reaches our warehouse, {then} "
                f"within {days} business days.")
    due = _due(f, profile)
    if due is not None and f.received_at is not None:  # a due day means it was received
        line = (f"Your return {f.rma} ({_names(f)}) was received at our warehouse "
                f"{on_day(f.received_at, now, tz)}. ")
        today = local_date(now, tz)
        what = (f"Your refund of {money(f.refund_cents, profile.currency)}" if refund
                else "Your exchange")
        if today > due:
            return line + (f"{what} should have been sent by {long_date(due, today)}; I'm "
                           "sorry it's late. Our team can check on it for you.")
        verb = "is being processed" if refund else "is being prepared"
        to = method if refund else ""
        return line + f"{what} {verb} and will be sent{to} by {long_date(due, today)}."
    if f.status == "refunded":
        when = on_day(f.refunded_at, now, tz) if f.refunded_at else "already"
        return (f"Your return {f.rma} ({_names(f)}) is complete: we refunded "
                f"{money(f.refund_cents, profile.currency)}{method} {when}. Depending on your "
                "bank, it can take a few days to show.")
    return (f"Your return {f.rma} ({_names(f)}) couldn't be accepted. Our team can explain why "
            "and what we can do.")


def refund_status(order: Order, returns: List[ReturnFacts], profile: ShopProfile,
                  now: datetime) -> RefundStatus:
    """The state of an order's returns and refunds. Pure: the caller loads the facts."""
    tz, currency = profile.timezone, profile.currency
    lines, offer_human = [], False
    if OrderStatus(order.status) is OrderStatus.CANCELLED:
        cancelled = on_day(order.cancelled_at, now, tz) if order.cancelled_at else ""
        lines.append(f"Order #{order.number} was cancelled {cancelled}".rstrip() + ".")
        if not order.refunded_cents:
            lines.append("I don't see a refund on it yet; our team can check on it for you.")
            offer_human = True
    if order.refunded_cents:
        when = on_day(order.refunded_at, now, tz) if order.refunded_at else "already"
        full = " (the full amount)" if order.refunded_cents >= order.total_cents else ""
        lines.append(f"A refund of {money(order.refunded_cents, currency)}{full} was issued "
                     f"{when}.")
    pending = 0
    for f in returns:
        lines.append(return_status_line(f, profile, now))
        offer_human = offer_human or f.status == "rejected" or is_overdue(f, profile, now)
        if f.resolution == "refund" and f.status in ("requested", "received"):
            pending += f.refund_cents
    if sum(1 for f in returns if f.status in ("requested", "received")) > 1 and pending:
        lines.append(f"In total, {money(pending, currency)} is still to be refunded.")
    if not lines:
        return RefundStatus(f"There are no returns or refunds on order #{order.number}.", 0,
                            False, False)
    return RefundStatus("\n".join(lines), pending, True, offer_human)


def refund_status_answer(order_number: str, now: datetime,
                         profile: Optional[ShopProfile] = None) -> Optional[RefundStatus]:
    """For an order the customer proved they own; None when the order is unknown."""
    with session_scope() as session:
        order = load_order(session, order_number)
        if order is None:
            return None
        facts = [facts_of(r) for r in returns_of(session, order.id)]
        return refund_status(order, facts, profile or current_profile(), now)
