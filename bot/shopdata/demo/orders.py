"""The demo shop's random customers and orders (numbers from 200001 up): items, shipments with
their tracking scans, late, lost and cancelled orders, all drawn from one seeded generator.
"""
from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Dict, List, Optional, Tuple

from bot.core.models import (
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from bot.shipping.delivery_dates import add_business_days
from bot.shopdata.demo.catalogue import CATALOGUE
from bot.shopdata.demo.people import CITIES, FIRST_NAMES, LAST_NAMES, STREETS
from bot.shopdata.demo.writer import ChunkWriter
from bot.shopdata.reference_orders import (
    SHIPPING_METHODS,
    WAREHOUSE_LOCATION,
)
from bot.shopdata.tables import CHUNK_SIZE, Row

#: Generated orders are placed within this many days before `now`.
HISTORY_DAYS = 120


#: The first number of a generated order; 1000xx belongs to the reference orders only.
FIRST_GENERATED_NUMBER = 200001


# Where each carrier's parcels are scanned between pick-up and delivery, and what the scan says.
_HUBS = {
    "UPS": (("Louisville, KY", "Ontario, CA", "Dallas, TX", "Hodgkins, IL", "Sacramento, CA"),
            "Departed UPS facility"),
    "FedEx": (("Memphis, TN", "Indianapolis, IN", "Oakland, CA", "Fort Worth, TX"), "In transit"),
    "USPS": (("Salt Lake City, UT", "Denver, CO", "Sacramento, CA", "Kansas City, MO",
              "Omaha, NE"), "In transit"),
}


_EXCEPTION_EVENT = "Delivery attempted - no access to delivery location"


# A shipment's status is what its latest scan says.
_SHIPMENT_STATUS_BY_EVENT = {
    "Label created": ShipmentStatus.LABEL_CREATED,
    "Picked up": ShipmentStatus.IN_TRANSIT,
    "In transit": ShipmentStatus.IN_TRANSIT,
    "Departed UPS facility": ShipmentStatus.IN_TRANSIT,
    "Out for delivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "Delivered": ShipmentStatus.DELIVERED,
    _EXCEPTION_EVENT: ShipmentStatus.EXCEPTION,
}


@dataclass(frozen=True)
class _Method:
    """A shipping method with its row id, as the order generator needs it."""

    id: int
    code: str
    carrier: str
    min_days: int
    max_days: int
    price_cents: int


# Share of orders per shipping method (economy, standard, two_day, next_day, same_day).
_METHOD_WEIGHTS = (0.20, 0.50, 0.15, 0.08, 0.07)


_CANCELLED_SHARE = 0.03


# Shipment outcomes; the rest arrive on time.
_LATE_SHARE, _EXCEPTION_SHARE, _LOST_SHARE = 0.06, 0.015, 0.006


class OrderGenerator:
    """Makes the random customers and orders; one instance per generation run.

    All randomness comes from `rng`, consumed in a fixed order, so the output depends only on
    (seed, now, n_orders).
    """

    def __init__(self, rng: random.Random, now: datetime, n_orders: int,
                 ids: Dict[Any, int]) -> None:
        self.rng = rng
        self.now = now
        self.n_orders = n_orders
        self.ids = ids  # next free primary key per model, shared with the writer
        self.first_customer_id = ids[Customer]
        self.n_customers = math.ceil(n_orders / 3) if n_orders else 0
        # (name, line1, line2, city, region, zip, billing_zip) per generated customer.
        self.addresses: List[Tuple[str, str, Optional[str], str, str, str, str]] = []
        self.methods = [
            _Method(i, m.code, m.carrier, m.min_days, m.max_days, m.price_cents)
            for i, m in enumerate(SHIPPING_METHODS, start=1)
        ]
        self.method_cumulative = [sum(_METHOD_WEIGHTS[: i + 1]) for i in range(len(self.methods))]
        # A pool with each product repeated by popularity: cheap things sell more often.
        self.product_pool: List[int] = []
        for pid, p in enumerate(CATALOGUE, start=1):
            weight = 1 if p.final_sale else (2 if p.price_cents >= 10000 else 4)
            self.product_pool.extend([pid] * weight)
        self.prices = {pid: p.price_cents for pid, p in enumerate(CATALOGUE, start=1)}
        # UPS shipper numbers are fixed per shop, as they are in real life. It starts with a
        # letter, so it can never be the reference orders' shipper "999AA1".
        letters = "ABCDEFGHJKLMNPRSTUVWXY"
        self.ups_account = rng.choice(letters) + "".join(
            rng.choice(letters + "0123456789") for _ in range(5)
        )

    def write_customers(self, writer: ChunkWriter) -> int:
        rng = self.rng
        # Created before any generated order, so nobody ordered before they had an account.
        oldest = self.now - timedelta(days=HISTORY_DAYS)
        for k in range(self.n_customers):
            cid = self.first_customer_id + k
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            style = rng.random()
            if style < 0.5:
                local = f"{first}.{last}{cid}"
            elif style < 0.8:
                local = f"{first[0]}{last}{cid}"
            else:
                local = f"{first}{cid}"
            city, region, zips = rng.choice(CITIES)
            zip_code = rng.choice(zips)
            # Some customers pay with a card registered at another address.
            billing = zip_code if rng.random() < 0.92 else rng.choice(rng.choice(CITIES)[2])
            line2 = f"Apt {rng.randint(1, 30)}{rng.choice('ABCD')}" if rng.random() < 0.3 else None
            line1 = f"{rng.randint(10, 9899)} {rng.choice(STREETS)}"
            self.addresses.append(
                (f"{first} {last}", line1, line2, city, region, zip_code, billing)
            )
            writer.add_all(Customer, [{
                "id": cid, "email": f"{local.lower()}@example.net", "first_name": first,
                "last_name": last,
                "created_at": oldest - timedelta(seconds=rng.randrange(2 * 365 * 86400)),
            }])
        self.ids[Customer] = self.first_customer_id + self.n_customers
        return self.n_customers

    def write_orders(self, writer: ChunkWriter, show_progress: bool) -> None:
        from tqdm import tqdm  # only needed here; keeps `import bot.shopdata.demo` light

        start = self.now - timedelta(days=HISTORY_DAYS)
        # Orders are spread evenly over the history with jitter, so numbers rise with time.
        step = HISTORY_DAYS * 86400 / max(self.n_orders, 1)
        with tqdm(total=self.n_orders, unit=" orders", disable=not show_progress,
                  desc="demo shop") as progress:
            for i in range(self.n_orders):
                placed_at = start + timedelta(seconds=int((i + self.rng.random()) * step))
                self._order(writer, FIRST_GENERATED_NUMBER + i, placed_at)
                if (i + 1) % CHUNK_SIZE == 0:
                    writer.flush()
                    progress.update(CHUNK_SIZE)
            progress.update(self.n_orders % CHUNK_SIZE)

    def _order(self, writer: ChunkWriter, number: int, placed_at: datetime) -> None:
        rng, ids, now = self.rng, self.ids, self.now
        order_id = ids[Order]
        ids[Order] += 1
        # About three orders per customer on average; some customers order often, some never.
        index = rng.randrange(self.n_customers)
        name, line1, line2, city, region, zip_code, billing = self.addresses[index]
        customer_id = self.first_customer_id + index
        pick = rng.random() * self.method_cumulative[-1]
        method = self.methods[bisect.bisect(self.method_cumulative, pick)]

        subtotal = 0
        items: List[Row] = []
        chosen: List[int] = []
        n_items = 1 if (r := rng.random()) < 0.6 else (2 if r < 0.88 else 3)
        while len(chosen) < n_items:
            pid = self.product_pool[int(rng.random() * len(self.product_pool))]
            if pid in chosen:
                continue
            chosen.append(pid)
            qty = 1 if (r := rng.random()) < 0.85 else (2 if r < 0.97 else 3)
            subtotal += qty * self.prices[pid]
            items.append({"id": ids[OrderItem], "order_id": order_id, "product_id": pid,
                          "quantity": qty, "unit_price_cents": self.prices[pid]})
            ids[OrderItem] += 1
        total = subtotal + method.price_cents

        status = OrderStatus.PROCESSING
        cancelled_at = None
        shipment: Optional[Row] = None
        events: List[Row] = []
        age = (now - placed_at).total_seconds()
        r = rng.random()
        if r < _CANCELLED_SHARE:
            status = OrderStatus.CANCELLED
            # Cancelled before it shipped, within a day and a half; never in the future.
            delay = min(rng.uniform(1800, 36 * 3600), age)
            cancelled_at = placed_at + timedelta(seconds=int(delay))
        elif age < 3600 and r < 0.3:
            status = OrderStatus.PENDING  # payment not confirmed yet
        else:
            shipped_at = self._ship_time(method, placed_at)
            if shipped_at <= now:
                shipment, events = self._shipment(order_id, method, placed_at, shipped_at,
                                                  f"{city}, {region}")
                status = (OrderStatus.DELIVERED if shipment["delivered_at"] is not None
                          else OrderStatus.SHIPPED)

        writer.add_all(Order, [{
            "id": order_id, "number": str(number), "customer_id": customer_id, "status": status,
            "placed_at": placed_at, "shipping_method_id": method.id, "billing_zip": billing,
            "shipping_name": name, "shipping_line1": line1, "shipping_line2": line2,
            "shipping_city": city, "shipping_region": region, "shipping_zip": zip_code,
            "shipping_country": "US", "currency": "USD", "subtotal_cents": subtotal,
            "shipping_cents": method.price_cents, "total_cents": total,
            "cancelled_at": cancelled_at,
            "refunded_cents": total if cancelled_at else 0, "refunded_at": cancelled_at,
        }])
        writer.add_all(OrderItem, items)
        if shipment is not None:
            writer.add_all(Shipment, [shipment])
            writer.add_all(TrackingEvent, events)

    def _ship_time(self, method: _Method, placed_at: datetime) -> datetime:
        """When the parcel leaves the warehouse: same day for early same-day orders, else 1-2
        business days later during working hours."""
        rng = self.rng
        if method.code == "same_day" and placed_at.hour < 14:
            return placed_at + timedelta(minutes=rng.randint(45, 180))
        days = 1 if method.code == "same_day" or rng.random() < 0.75 else 2
        day = add_business_days(placed_at.date(), days)
        return datetime.combine(day, time(rng.randint(9, 16), rng.randrange(60)))

    def _shipment(self, order_id: int, method: _Method, placed_at: datetime,
                  shipped_at: datetime, destination: str) -> Tuple[Row, List[Row]]:
        """A shipment and its tracking events as of `now` (later scans have not happened yet)."""
        rng, now = self.rng, self.now
        shipment_id = self.ids[Shipment]
        self.ids[Shipment] += 1
        ship_day = shipped_at.date()
        # The label is printed shortly before pick-up, but never before the order was placed.
        label_at = shipped_at - min(timedelta(minutes=rng.randint(30, 300)),
                                    (shipped_at - placed_at) / 2)
        label_at = label_at.replace(microsecond=0)
        # (time, location, description) in order; cut at `now` below.
        plan: List[Tuple[datetime, Optional[str], str]] = [
            (label_at, WAREHOUSE_LOCATION, "Label created"),
            (shipped_at, WAREHOUSE_LOCATION, "Picked up"),
        ]
        if method.max_days == 0:  # same-day courier: straight to the door
            estimated = datetime.combine(ship_day, time(21))
            plan.append((shipped_at + timedelta(minutes=rng.randint(10, 30)), destination,
                         "Out for delivery"))
            plan.append((shipped_at + timedelta(minutes=rng.randint(90, 210)), destination,
                         "Delivered"))
        else:
            estimated = datetime.combine(add_business_days(ship_day, method.max_days), time(21))
            on_time_day = add_business_days(ship_day, rng.randint(method.min_days, method.max_days))
            hubs, transit_text = _HUBS[method.carrier]
            hub = rng.choice(hubs)
            r = rng.random()
            if r < _LOST_SHARE:  # one scan on the way, then silence
                plan.append((shipped_at + timedelta(hours=rng.randint(10, 40)), hub, transit_text))
            else:
                if r < _LOST_SHARE + _EXCEPTION_SHARE:
                    first_stop = datetime.combine(on_time_day, time(rng.randint(12, 17),
                                                                    rng.randrange(60)))
                    stops = [(first_stop, destination, _EXCEPTION_EVENT)]
                    deliver_day = add_business_days(on_time_day, 1)
                else:
                    is_late = r < _LOST_SHARE + _EXCEPTION_SHARE + _LATE_SHARE
                    late = rng.randint(1, 3) if is_late else 0
                    deliver_day = (add_business_days(ship_day, method.max_days + late) if late
                                   else on_time_day)
                    first_stop = datetime.combine(deliver_day, time(rng.randint(7, 8),
                                                                    rng.randrange(60)))
                    stops = [(first_stop, destination, "Out for delivery")]
                delivered_at = datetime.combine(deliver_day, time(rng.randint(10, 19),
                                                                  rng.randrange(60)))
                transit_at = shipped_at + (first_stop - shipped_at) * rng.uniform(0.3, 0.7)
                plan.append((transit_at.replace(microsecond=0), hub, transit_text))
                plan.extend(stops)
                plan.append((delivered_at, destination, "Delivered"))

        events: List[Row] = []
        for occurred_at, location, description in plan:
            if occurred_at > now:
                break
            events.append({"id": self.ids[TrackingEvent], "shipment_id": shipment_id,
                           "occurred_at": occurred_at, "location": location,
                           "description": description})
            self.ids[TrackingEvent] += 1
        last = events[-1]["description"]
        shipment = {
            "id": shipment_id, "order_id": order_id, "carrier": method.carrier,
            "service_level": method.code,
            "tracking_number": self._tracking_number(method.carrier, shipment_id),
            "status": _SHIPMENT_STATUS_BY_EVENT[last], "shipped_at": shipped_at,
            "estimated_delivery_at": estimated,
            "delivered_at": events[-1]["occurred_at"] if last == "Delivered" else None,
        }
        return shipment, events

    def _tracking_number(self, carrier: str, shipment_id: int) -> str:
        """A carrier-shaped tracking number; the embedded shipment id makes it unique.

        The shipper or prefix differs from the reference orders' numbers (1Z999AA1..., 9400...),
        so a generated number never equals a reference one.
        """
        n = self.rng.randrange
        if carrier == "UPS":  # 1Z + shipper(6) + service "02" (2nd Day Air) + 8 digits
            return f"1Z{self.ups_account}02{shipment_id:07d}{n(10)}"
        if carrier == "USPS":  # 22 digits
            return f"9405{n(10 ** 8):08d}{shipment_id:09d}{n(10)}"
        if carrier == "FedEx":  # 12 digits
            return f"7{n(1000):03d}{shipment_id:07d}{n(10)}"
        return f"CR{n(100):02d}{shipment_id:07d}{n(10)}"  # courier: CR + 10 digits
