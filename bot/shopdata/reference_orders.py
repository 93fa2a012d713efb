"""The fixed reference orders of the demo shop, as plain data relative to a given `now`.

These eight orders (100001-100008) and their five customers are a contract: conversation
tests, documentation and acceptance checks ask about them by number, email and ZIP and expect
exactly the facts below. The random part of the demo shop never touches them (its order
numbers start at 200001 and its customers use the example.net domain).

The five default shipping methods live here too, because the reference orders are priced with
them and the CSV importer falls back to them.

Nothing here touches the database: `bot.shopdata.demo` turns this data into rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional, Tuple

from bot.core.models import OrderStatus, ShipmentStatus

#: Where the shop's parcels leave from; the first scans of every shipment happen here.
WAREHOUSE_LOCATION = "Reno, NV"


@dataclass(frozen=True)
class ShippingMethodSpec:
    """One shipping option. The codes are a contract (orders and CSV files refer to them)."""

    code: str
    name: str
    min_days: int  # business days in transit
    max_days: int
    carrier: str
    price_cents: int
    tracking_included: bool = True


SHIPPING_METHODS: Tuple[ShippingMethodSpec, ...] = (
    ShippingMethodSpec("economy", "Economy", 7, 10, "USPS", 495),
    ShippingMethodSpec("standard", "Standard", 3, 5, "USPS", 695),
    ShippingMethodSpec("two_day", "2-Day", 2, 2, "UPS", 1495),
    ShippingMethodSpec("next_day", "Next-Day", 1, 1, "FedEx", 2495),
    ShippingMethodSpec("same_day", "Same-Day", 0, 0, "Courier", 1995),
)

SHIPPING_METHODS_BY_CODE = {m.code: m for m in SHIPPING_METHODS}


@dataclass(frozen=True)
class RefCustomer:
    email: str
    first_name: str
    last_name: str
    created_at: datetime


@dataclass(frozen=True)
class RefAddress:
    name: str
    line1: str
    line2: Optional[str]
    city: str
    region: str
    zip: str
    country: str = "US"


@dataclass(frozen=True)
class RefItem:
    product_name: str  # a product of the demo catalogue, matched by name
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class RefEvent:
    occurred_at: datetime
    location: Optional[str]
    description: str


@dataclass(frozen=True)
class RefShipment:
    carrier: str
    service_level: str  # shipping method code
    tracking_number: str
    status: ShipmentStatus
    shipped_at: datetime
    estimated_delivery_at: datetime
    delivered_at: Optional[datetime]
    events: Tuple[RefEvent, ...]


@dataclass(frozen=True)
class RefReturn:
    """A return of some items of a reference order (by product name), refund not yet issued."""

    rma: str
    product_names: Tuple[str, ...]
    reason: str
    created_at: datetime
    received_at: Optional[datetime]
    refund_cents: int
    refund_method: str = "original payment method"


@dataclass(frozen=True)
class RefOrder:
    number: str
    email: str
    billing_zip: str
    status: OrderStatus
    placed_at: datetime
    shipping_method: str  # code
    address: RefAddress
    items: Tuple[RefItem, ...]
    shipment: Optional[RefShipment] = None
    cancelled_at: Optional[datetime] = None
    refunded: bool = False  # True: the full total was refunded at cancelled_at
    return_request: Optional[RefReturn] = None

    @property
    def subtotal_cents(self) -> int:
        return sum(i.quantity * i.unit_price_cents for i in self.items)

    @property
    def shipping_cents(self) -> int:
        return SHIPPING_METHODS_BY_CODE[self.shipping_method].price_cents

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.shipping_cents

    @property
    def refunded_cents(self) -> int:
        return self.total_cents if self.refunded else 0

    @property
    def refunded_at(self) -> Optional[datetime]:
        return self.cancelled_at if self.refunded else None


# One address per reference customer; its ZIP is also their billing ZIP.
_ADDRESSES = {
    "maria.gonzalez@example.com": RefAddress(
        "Maria Gonzalez", "350 Brannan St", "Apt 4B", "San Francisco", "CA", "94107"
    ),
    "li.wei@example.com": RefAddress(
        "Li Wei", "245 W 29th St", "Apt 12C", "New York", "NY", "10001"
    ),
    "olga.petrova@example.com": RefAddress(
        "Olga Petrova", "2150 N Lincoln Ave", None, "Chicago", "IL", "60614"
    ),
    "james.oconnor@example.com": RefAddress(
        "James O'Connor", "2407 Rio Grande St", None, "Austin", "TX", "73301"
    ),
    "aisha.khan@example.com": RefAddress(
        "Aisha Khan", "1420 5th Ave", "Unit 2304", "Seattle", "WA", "98101"
    ),
}


def reference_customers(now: datetime) -> List[RefCustomer]:
    """The five reference customers, each created well before their first order."""
    d = lambda days: now - timedelta(days=days)  # noqa: E731 - local shorthand
    return [
        RefCustomer("maria.gonzalez@example.com", "Maria", "Gonzalez", d(400)),
        RefCustomer("li.wei@example.com", "Li", "Wei", d(250)),
        RefCustomer("olga.petrova@example.com", "Olga", "Petrova", d(180)),
        RefCustomer("james.oconnor@example.com", "James", "O'Connor", d(300)),
        RefCustomer("aisha.khan@example.com", "Aisha", "Khan", d(90)),
    ]


def _order(number: str, email: str, status: OrderStatus, placed_at: datetime, method: str,
           items: Tuple[RefItem, ...], **rest: object) -> RefOrder:
    address = _ADDRESSES[email]
    return RefOrder(number=number, email=email, billing_zip=address.zip, status=status,
                    placed_at=placed_at, shipping_method=method, address=address, items=items,
                    **rest)  # type: ignore[arg-type]


def _delivered_shipment(
    *,
    carrier: str,
    service: str,
    tracking: str,
    shipped_at: datetime,
    delivered_at: datetime,
    estimated_at: datetime,
    transit: RefEvent,
    city: str,
) -> RefShipment:
    """A shipment that arrived: label, pick-up, one transit scan, out for delivery, delivered."""
    events = (
        RefEvent(shipped_at - timedelta(hours=3), WAREHOUSE_LOCATION, "Label created"),
        RefEvent(shipped_at, WAREHOUSE_LOCATION, "Picked up"),
        transit,
        RefEvent(delivered_at - timedelta(hours=4), city, "Out for delivery"),
        RefEvent(delivered_at, city, "Delivered"),
    )
    return RefShipment(carrier, service, tracking, ShipmentStatus.DELIVERED, shipped_at,
                       estimated_at, delivered_at, events)


def reference_orders(now: datetime) -> List[RefOrder]:
    """The eight reference orders 100001-100008 as of `now` (naive UTC)."""

    def ago(days: int, hours: int = 0) -> datetime:
        return now - timedelta(days=days, hours=hours)

    # 100001: on its way with UPS 2-Day, shipped yesterday, due tomorrow.
    order_1 = _order(
        "100001", "maria.gonzalez@example.com", OrderStatus.SHIPPED, ago(2, 3), "two_day",
        (RefItem("Trail Running Shoes", 1, 12900),),
        shipment=RefShipment(
            carrier="UPS", service_level="two_day", tracking_number="1Z999AA10123456784",
            status=ShipmentStatus.IN_TRANSIT, shipped_at=ago(1),
            estimated_delivery_at=now + timedelta(days=1), delivered_at=None,
            events=(
                RefEvent(ago(1, 3), WAREHOUSE_LOCATION, "Label created"),
                RefEvent(ago(1), WAREHOUSE_LOCATION, "Picked up"),
                RefEvent(ago(0, 10), "Sacramento, CA", "Departed UPS facility"),
            ),
        ),
    )
    # 100002: paid and being packed; no shipment yet.
    order_2 = _order(
        "100002", "li.wei@example.com", OrderStatus.PROCESSING, ago(0, 20), "standard",
        (RefItem("Ceramic Mug Set", 2, 2400),),
    )
    order_3 = _order(
        "100003", "olga.petrova@example.com", OrderStatus.DELIVERED, ago(15, 4), "standard",
        (RefItem("Merino Wool Sweater", 1, 8900), RefItem("Cashmere Scarf", 1, 4500)),
        shipment=_delivered_shipment(
            carrier="USPS", service="standard", tracking="9400111899223197428490",
            shipped_at=ago(14), delivered_at=ago(10), estimated_at=ago(9),
            transit=RefEvent(ago(12), "Omaha, NE", "In transit"), city="Chicago, IL",
        ),
    )
    order_4 = _order(
        "100004", "james.oconnor@example.com", OrderStatus.DELIVERED, ago(48, 6), "two_day",
        (RefItem("Bluetooth Headphones", 1, 14900),),
        shipment=_delivered_shipment(
            carrier="UPS", service="two_day", tracking="1Z999AA10287654321",
            shipped_at=ago(47), delivered_at=ago(45), estimated_at=ago(45),
            transit=RefEvent(ago(46), "Fort Worth, TX", "Departed UPS facility"),
            city="Austin, TX",
        ),
    )
    # 100005: USPS Economy, due 4 days ago, no scan for 9 days: late and possibly lost.
    order_5 = _order(
        "100005", "aisha.khan@example.com", OrderStatus.SHIPPED, ago(15, 5), "economy",
        (RefItem("Hand-painted Bookmark Set", 1, 1800),),
        shipment=RefShipment(
            carrier="USPS", service_level="economy", tracking_number="9400111899223197428506",
            status=ShipmentStatus.IN_TRANSIT, shipped_at=ago(14), estimated_delivery_at=ago(4),
            delivered_at=None,
            events=(
                RefEvent(ago(14, 2), WAREHOUSE_LOCATION, "Label created"),
                RefEvent(ago(14), WAREHOUSE_LOCATION, "Picked up"),
                RefEvent(ago(9), "USPS Regional Facility, Portland, OR", "In transit"),
            ),
        ),
    )
    # 100006: includes a final-sale item, for questions about returns.
    order_6 = _order(
        "100006", "maria.gonzalez@example.com", OrderStatus.DELIVERED, ago(10, 2), "standard",
        (RefItem("Clearance Rain Jacket", 1, 3900), RefItem("Running Socks 3-pack", 1, 1500)),
        shipment=_delivered_shipment(
            carrier="USPS", service="standard", tracking="9400111899223197428513",
            shipped_at=ago(9), delivered_at=ago(5), estimated_at=ago(4),
            transit=RefEvent(ago(7), "Sacramento, CA", "In transit"), city="San Francisco, CA",
        ),
    )
    # 100007: cancelled before it shipped; everything (shipping included) refunded at once.
    order_7 = _order(
        "100007", "li.wei@example.com", OrderStatus.CANCELLED, ago(2, 5), "standard",
        (RefItem("Canvas Tote Bag", 1, 3200),),
        cancelled_at=ago(2), refunded=True,
    )
    # 100008: the shirt came back to the warehouse 2 days ago; its $59.00 refund is pending.
    order_8 = _order(
        "100008", "olga.petrova@example.com", OrderStatus.DELIVERED, ago(25, 3), "standard",
        (RefItem("Linen Shirt", 1, 5900),),
        shipment=_delivered_shipment(
            carrier="USPS", service="standard", tracking="9400111899223197428520",
            shipped_at=ago(24), delivered_at=ago(20), estimated_at=ago(19),
            transit=RefEvent(ago(22), "Omaha, NE", "In transit"), city="Chicago, IL",
        ),
        return_request=RefReturn(
            rma="RMA-100008-1", product_names=("Linen Shirt",), reason="wrong size",
            created_at=ago(8), received_at=ago(2), refund_cents=5900,
        ),
    )
    return [order_1, order_2, order_3, order_4, order_5, order_6, order_7, order_8]


def reference_product_names() -> List[str]:
    """Every product name the reference orders use (the demo catalogue must contain them)."""
    return sorted({i.product_name for o in reference_orders(datetime(2000, 1, 1)) for i in o.items})
