"""'My parcel never came': is it on time, late, or lost? Pure: facts of a loaded order.

Days are counted by calendar date in the shop's time zone. A shipped parcel past its estimated
delivery date is late; it counts as lost (a claim is accepted: reship or refund, per policy)
once it is `claims.lost_after_days_late` days late, or late with no carrier scan for
`claims.lost_after_days_without_scan` days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional, Tuple

from bot.core.formatting import money
from bot.core.models import Order, OrderStatus, Shipment
from bot.core.shop_dates import local_date, long_date, on_date
from bot.profile.shop_profile import ShopProfile

CANCELLED, NOT_SHIPPED, DELIVERED = "cancelled", "not_shipped", "delivered"
ON_TIME, LATE, LOST = "on_time", "late", "lost"
HUMAN = "human"


@dataclass(frozen=True)
class LastScan:
    description: str
    location: Optional[str]
    on: date  # shop calendar


@dataclass(frozen=True)
class MissingPackage:
    order_number: str
    state: str  # CANCELLED, NOT_SHIPPED, DELIVERED, ON_TIME, LATE or LOST
    text: str  # the customer-facing explanation
    offered: Tuple[str, ...]  # resolutions to offer, e.g. ("reship", "refund", "human")
    days_late: int = 0
    days_without_scan: int = 0
    due_on: Optional[date] = None
    last_scan: Optional[LastScan] = None
    refund_cents: int = 0  # what a refund would pay back
    existing_claim: Optional[str] = None  # set by bot.claims.service when one is already recorded
    carrier: Optional[str] = None  # of the parcel on its way

    @property
    def claimable(self) -> bool:
        return self.state == LOST


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _scan_text(scan: Optional[LastScan], today: date) -> str:
    if scan is None:
        return ""
    where = f" at {scan.location}" if scan.location else ""
    ago = (today - scan.on).days
    when = on_date(scan.on, today) + ("" if ago <= 1 else f", {_days(ago)} ago")
    return f'The last carrier scan was "{scan.description}"{where} {when}.'


def _remedies(offered: Tuple[str, ...], refund_cents: int, currency: str) -> str:
    """'send you a new parcel at no cost or refund you $22.95' (in the policy's order)."""
    words = {"reship": "send you a new parcel at no cost",
             "refund": f"refund you {money(refund_cents, currency)}"}
    return " or ".join(words[o] for o in offered if o in words)


def _offer_text(offered: Tuple[str, ...], refund_cents: int, currency: str) -> str:
    remedies = _remedies(offered, refund_cents, currency)
    if not remedies:
        return "Our team will sort this out for you; I can connect you with them now."
    return f"We can {remedies}. Which would you prefer? I can also connect you with our team."


def _open_shipment(order: Order) -> Optional[Shipment]:
    """The undelivered shipment due first, if any."""
    pending = [s for s in order.shipments if s.delivered_at is None]
    return min(pending, key=lambda s: s.estimated_delivery_at) if pending else None


def assess(order: Order, profile: ShopProfile, now: datetime) -> MissingPackage:
    """Where the order's parcel stands, with the text and the resolutions to offer."""
    tz, policy, number = profile.timezone, profile.claims, order.number
    today = local_date(now, tz)
    if OrderStatus(order.status) is OrderStatus.CANCELLED:
        return MissingPackage(number, CANCELLED, f"Order #{number} was cancelled, so no parcel "
                              "was sent.", ())
    if not order.shipments:
        return MissingPackage(number, NOT_SHIPPED, f"Order #{number} hasn't shipped yet, so it "
                              "isn't lost: it's still being prepared. You'll get the tracking "
                              "number by email as soon as it ships.", ())
    shipment = _open_shipment(order)
    if shipment is None:
        last = max(order.shipments, key=lambda s: s.delivered_at)
        place = next((e.location for e in reversed(last.events) if e.location), None)
        at = f" ({place})" if place else ""
        return MissingPackage(number, DELIVERED, (
            f"Our records show order #{number} was delivered "
            f"{on_date(local_date(last.delivered_at, tz), today)}{at}. Parcels are sometimes "
            "left in a safe place or with a neighbour, so it's worth a look. If you still can't "
            "find it, I can connect you with our team."), (HUMAN,))
    due = local_date(shipment.estimated_delivery_at, tz)
    latest = shipment.latest_event
    scan = (LastScan(latest.description, latest.location, local_date(latest.occurred_at, tz))
            if latest else None)
    silent = (today - (scan.on if scan else local_date(shipment.shipped_at, tz))).days
    late = max(0, (today - due).days)
    refund = max(0, order.total_cents - (order.refunded_cents or 0))
    facts = dict(days_late=late, days_without_scan=silent, due_on=due, last_scan=scan,
                 refund_cents=refund, carrier=shipment.carrier)
    if late == 0:
        text = (f"Your parcel for order #{number} is on its way with {shipment.carrier} and "
                f"isn't late: it's due {long_date(due, today)}. {_scan_text(scan, today)} "
                "If it hasn't arrived by then, tell me and I'll look into it.")
        return MissingPackage(number, ON_TIME, text.replace("  ", " "), (), **facts)
    lost = late >= policy.lost_after_days_late or silent >= policy.lost_after_days_without_scan
    opening = (f"I'm sorry, your parcel for order #{number} is late: it was due "
               f"{on_date(due, today)}, {_days(late)} ago. {_scan_text(scan, today)}").strip()
    if lost:
        offered = policy.missing_package + (HUMAN,)
        why = ("It may be lost." if silent >= policy.lost_after_days_without_scan
               else "That's too long to keep you waiting.")
        text = f"{opening} {why} {_offer_text(policy.missing_package, refund, profile.currency)}"
        return MissingPackage(number, LOST, text, offered, **facts)
    wait_until = due + timedelta(days=policy.lost_after_days_late)
    remedies = _remedies(policy.missing_package, refund, profile.currency) or "help you"
    text = (f"{opening} Late parcels usually still arrive within a few days. If it hasn't "
            f"arrived by {long_date(wait_until, today)}, tell me and we'll {remedies}. "
            "I can also connect you with our team now.")
    return MissingPackage(number, LATE, text, (HUMAN,), **facts)
