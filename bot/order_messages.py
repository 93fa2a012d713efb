"""Customer-facing wording of order facts. Pure functions of an OrderReport and `now`."""
from __future__ import annotations

from datetime import datetime
from typing import List

from bot.formatting import day, days_ago, money, on_day, short_date
from bot.order_lookup import OrderSummary
from bot.order_report import OrderReport, ShipmentReport

STATUS_WORDS = {
    "pending": "has been received and is waiting for payment confirmation",
    "processing": "is being prepared and hasn't shipped yet",
    "shipped": "is on its way",
    "late": "is on its way but running late",
    "delivered": "has been delivered",
    "cancelled": "was cancelled",
}


def _items(report: OrderReport) -> str:
    parts = [
        f"{i.quantity} × {i.name} ({money(i.unit_price_cents)}"
        + (", final sale)" if i.final_sale else ")")
        for i in report.items
    ]
    return "Items: " + "; ".join(parts) + "."


def _tracking(s: ShipmentReport, now: datetime) -> List[str]:
    lines = [f"Carrier: {s.carrier} ({s.service}), tracking number {s.tracking_number}."]
    if s.tracking_url:
        lines.append(f"Track it here: {s.tracking_url}")
    if s.latest_update:
        u = s.latest_update
        where = f" — {u.location}" if u.location else ""
        lines.append(f"Latest update: {u.description}{where}, {days_ago(u.occurred_at, now)}.")
    return lines


def _shipment_lines(s: ShipmentReport, now: datetime) -> List[str]:
    if s.delivered_at:
        return [f"It was delivered {on_day(s.delivered_at, now)}."] + _tracking(s, now)
    if s.days_late:
        late = (
            f"I'm sorry — this parcel is late. It was due {on_day(s.estimated_delivery_at, now)} "
            f"({s.days_late} day{'s' if s.days_late != 1 else ''} ago)"
        )
        if s.possibly_lost and s.latest_update:
            late += (
                f", and the carrier hasn't scanned it since "
                f"{days_ago(s.latest_update.occurred_at, now)}, so it may be lost"
            )
        next_steps = (
            "What happens next: we'll ask the carrier to trace it, and if it can't be found "
            "we'll send a replacement or refund you. I can connect you with our team to "
            "start that now."
        )
        return [late + "."] + _tracking(s, now) + [next_steps]
    return [f"Estimated delivery: {day(s.estimated_delivery_at, now)}."] + _tracking(s, now)


def order_status_text(report: OrderReport, now: datetime) -> str:
    """The full answer to 'where is my order?' for a verified customer."""
    status = "late" if report.is_late else report.status
    lines = [f"Order #{report.number} {STATUS_WORDS.get(status, 'is ' + status)}.", _items(report)]
    if report.status == "cancelled":
        if report.cancelled_at:
            lines[0] = f"Order #{report.number} was cancelled {on_day(report.cancelled_at, now)}."
        if report.refunded_cents:
            refunded = on_day(report.refunded_at, now) if report.refunded_at else "already"
            lines.append(f"A refund of {money(report.refunded_cents)} was issued {refunded}.")
        return "\n".join(lines)
    if not report.shipments:
        lines.append(
            f"It will ship with {report.service} ({_window(report)} once it leaves our "
            "warehouse); you'll get the tracking number by email when it does."
        )
    for shipment in report.shipments:
        lines.extend(_shipment_lines(shipment, now))
    return "\n".join(lines)


def _window(report: OrderReport) -> str:
    lo, hi = report.service_min_days, report.service_max_days
    if hi == 0:
        return "same day"
    span = f"{lo}" if lo == hi else f"{lo}-{hi}"
    return f"{span} business day{'s' if hi != 1 else ''}"


def order_choice_title(summary: OrderSummary, now: datetime) -> str:
    """A button label for one of the customer's orders."""
    return (
        f"#{summary.number} · {short_date(summary.placed_at)} · "
        f"{summary.status} · {money(summary.total_cents)}"
    )
