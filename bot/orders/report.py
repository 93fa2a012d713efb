"""What we know about one order, as plain data: the facts a status answer is made from."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import List, Optional

from bot.core.models import Order, OrderStatus
from bot.shipping.carriers import tracking_url

# A shipment with no carrier scan for this long, past its estimate, may be lost.
SILENT_DAYS_POSSIBLY_LOST = 7


@dataclass(frozen=True)
class ItemLine:
    name: str
    quantity: int
    unit_price_cents: int
    final_sale: bool


@dataclass(frozen=True)
class TrackingUpdate:
    description: str
    location: Optional[str]
    occurred_at: datetime


@dataclass(frozen=True)
class ShipmentReport:
    carrier: str
    service: str
    tracking_number: str
    tracking_url: Optional[str]
    shipped_at: datetime
    estimated_delivery_at: datetime
    delivered_at: Optional[datetime]
    latest_update: Optional[TrackingUpdate]
    days_late: int  # whole days past the estimate, 0 when on time or delivered
    possibly_lost: bool


@dataclass(frozen=True)
class OrderReport:
    number: str
    status: str
    placed_at: datetime
    service: str
    service_min_days: int
    service_max_days: int
    total_cents: int
    items: List[ItemLine]
    shipments: List[ShipmentReport] = field(default_factory=list)
    cancelled_at: Optional[datetime] = None
    refunded_cents: int = 0
    refunded_at: Optional[datetime] = None

    @property
    def is_late(self) -> bool:
        return any(s.days_late > 0 for s in self.shipments)


def build_report(order: Order, now: datetime) -> OrderReport:
    """Turn a loaded order (see bot.orders.lookup.load_order) into an OrderReport as of `now`."""
    shipments = []
    for shipment in order.shipments:
        latest = shipment.latest_event
        days_late = 0
        if shipment.delivered_at is None and now > shipment.estimated_delivery_at:
            days_late = max(1, (now - shipment.estimated_delivery_at).days)
        last_seen = latest.occurred_at if latest else shipment.shipped_at
        shipments.append(
            ShipmentReport(
                carrier=shipment.carrier,
                service=order.shipping_method.name,
                tracking_number=shipment.tracking_number,
                tracking_url=tracking_url(shipment.carrier, shipment.tracking_number),
                shipped_at=shipment.shipped_at,
                estimated_delivery_at=shipment.estimated_delivery_at,
                delivered_at=shipment.delivered_at,
                latest_update=(
                    TrackingUpdate(latest.description, latest.location, latest.occurred_at)
                    if latest
                    else None
                ),
                days_late=days_late,
                possibly_lost=days_late > 0
                and now - last_seen >= timedelta(days=SILENT_DAYS_POSSIBLY_LOST),
            )
        )
    return OrderReport(
        number=order.number,
        status=OrderStatus(order.status).value,
        placed_at=order.placed_at,
        service=order.shipping_method.name,
        service_min_days=order.shipping_method.min_days,
        service_max_days=order.shipping_method.max_days,
        total_cents=order.total_cents,
        items=[
            ItemLine(i.product.name, i.quantity, i.unit_price_cents, i.product.final_sale)
            for i in order.items
        ],
        shipments=shipments,
        cancelled_at=order.cancelled_at,
        refunded_cents=order.refunded_cents or 0,
        refunded_at=order.refunded_at,
    )
