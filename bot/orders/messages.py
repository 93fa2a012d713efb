"""Customer-facing wording of order facts. Pure functions of an OrderReport, `now` and the
shop's time zone."""
from __future__ import annotations

from datetime import datetime
from typing import List

from bot.core.formatting import day, days_ago, money, on_day, short_date
from bot.core.shop_dates import local
from bot.orders.lookup import OrderSummary
from bot.orders.report import OrderReport, ShipmentReport

STATUS_WORDS = {
    "pending": "has been received and is waiting for payment confirmation",
    "processing": "is being prepared and hasn't shipped yet",
    "shipped": "is on its way",
    "late": "is on its way but running late",
    "delivered": "has been delivered",
    "cancelled": "was cancelled",
}


class _ShopDates:
    """The dates of one answer as the shop's calendar reads them (instants are naive UTC), so
    "delivered yesterday" here agrees with the return window and the claim texts."""

    def __init__(self, now: datetime, tz: str) -> None:
        self.tz = tz
        self.now = local(now, tz)

    def on(self, when: datetime) -> str:
        return on_day(local(when, self.tz), self.now)

    def day(self, when: datetime) -> str:
        return day(local(when, self.tz), self.now)

    def ago(self, when: datetime) -> str:
        return days_ago(local(when, self.tz), self.now)


def order_title(number: str) -> str:
    """A button for one of the customer's orders."""
    return f"Order {number}"


def _items(report: OrderReport) -> str:
    parts = [
        f"{i.quantity} × {i.name} ({money(i.unit_price_cents)}"
        + (", final sale)" if i.final_sale else ")")
        for i in report.items
    ]
    return "Items: " + "; ".join(parts) + "."


def _tracking(s: ShipmentReport, dates: _ShopDates) -> List[str]:
    lines = [f"Carrier: {s.carrier} ({s.service}), tracking number {s.tracking_number}."]
    if s.tracking_url:
        lines.append(f"Track it here: {s.tracking_url}")
    if s.latest_update:
        u = s.latest_update
        where = f" — {u.location}" if u.location else ""
        lines.append(f"Latest update: {u.description}{where}, {dates.ago(u.occurred_at)}.")
    return lines


def _shipment_lines(s: ShipmentReport, dates: _ShopDates) -> List[str]:
    if s.delivered_at:
        return [f"It was delivered {dates.on(s.delivered_at)}."] + _tracking(s, dates)
    if s.days_late:
        late = (
            f"I'm sorry — this parcel is late. It was due {dates.on(s.estimated_delivery_at)} "
            f"({s.days_late} day{'s' if s.days_late != 1 else ''} ago)"
        )
        if s.possibly_lost and s.latest_update:
            late += (
                f", and the carrier hasn't scanned it since "
                f"{dates.ago(s.latest_update.occurred_at)}, so it may be lost"
            )
        next_steps = (
            "What happens next: we'll ask the carrier to trace it, and if it can't be found "
            "we'll send a replacement or refund you. I can connect you with our team to "
            "start that now."
        )
        return [late + "."] + _tracking(s, dates) + [next_steps]
    return [f"Estimated delivery: {dates.day(s.estimated_delivery_at)}."] + _tracking(s, dates)


def order_status_text(report: OrderReport, now: datetime, tz: str = "UTC") -> str:
    """The full answer to 'where is my order?' for a verified customer; dates in `tz`."""
    dates = _ShopDates(now, tz)
    status = "late" if report.is_late else report.status
    lines = [f"Order #{report.number} {STATUS_WORDS.get(status, 'is ' + status)}.", _items(report)]
    if report.status == "cancelled":
        if report.cancelled_at:
            lines[0] = f"Order #{report.number} was cancelled {dates.on(report.cancelled_at)}."
        if report.refunded_cents:
            refunded = dates.on(report.refunded_at) if report.refunded_at else "already"
            lines.append(f"A refund of {money(report.refunded_cents)} was issued {refunded}.")
        return "\n".join(lines)
    if not report.shipments:
        lines.append(
            f"It will ship with {report.service} ({_window(report)} once it leaves our "
            "warehouse); you'll get the tracking number by email when it does."
        )
    for shipment in report.shipments:
        lines.extend(_shipment_lines(shipment, dates))
    return "\n".join(lines)


def _window(report: OrderReport) -> str:
    lo, hi = report.service_min_days, report.service_max_days
    if hi == 0:
        return "same day"
    span = f"{lo}" if lo == hi else f"{lo}-{hi}"
    return f"{span} business day{'s' if hi != 1 else ''}"


def order_choice_title(summary: OrderSummary, now: datetime, tz: str = "UTC") -> str:
    """A button label for one of the customer's orders (the date it was placed, in `tz`)."""
    return (
        f"#{summary.number} · {short_date(local(summary.placed_at, tz))} · "
        f"{summary.status} · {money(summary.total_cents)}"
    )
