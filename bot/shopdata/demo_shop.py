"""The demo shop: a realistic, reproducible shop database for trying and testing the bot.

`generate_demo_shop` replaces all shop data with: the five shipping methods, a catalogue of
~40 products, the eight fixed reference orders of `bot.shopdata.reference_orders`, and as many random
orders (numbers from 200001 up) as asked for. Everything is derived from (seed, now, n_orders),
so two runs with the same inputs write identical rows.

It is built for size: rows are plain dicts with precomputed primary keys, written with
SQLAlchemy Core bulk inserts in chunks, so a million orders take minutes, not hours.
"""
from __future__ import annotations

import bisect
import math
import random
import sys
import time as _time
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import Table, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from bot.core import clock
from bot.core.db import create_schema, refresh_statistics
from bot.core.models import (
    Base,
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    ReturnItem,
    ReturnRequest,
    ReturnResolution,
    ReturnStatus,
    Shipment,
    ShipmentStatus,
    ShippingMethod,
    ShopMeta,
    TrackingEvent,
)
from bot.shopdata.reference_orders import (
    SHIPPING_METHODS,
    WAREHOUSE_LOCATION,
    RefOrder,
    reference_customers,
    reference_orders,
)

Row = Dict[str, Any]

#: Orders per bulk insert: large enough to amortise round trips, small enough for memory.
CHUNK_SIZE = 10_000
#: Generated orders are placed within this many days before `now`.
HISTORY_DAYS = 120
#: The first number of a generated order; 1000xx belongs to the reference orders only.
FIRST_GENERATED_NUMBER = 200001
#: Tracking numbers embed the shipment id in 7 digits, which bounds the shop's size.
MAX_ORDERS = 9_000_000


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    category: str
    price_cents: int

    @property
    def final_sale(self) -> bool:
        # Shop policy: clearance items cannot be returned.
        return self.category == "clearance"


def _products(category: str, prefix: str, items: Sequence[Tuple[str, int]]) -> List[ProductSpec]:
    return [
        ProductSpec(f"{prefix}-{101 + i}", name, category, dollars * 100)
        for i, (name, dollars) in enumerate(items)
    ]


#: The demo catalogue. It includes every product of the reference orders at their prices.
CATALOGUE: Tuple[ProductSpec, ...] = tuple(
    _products("apparel", "APP", [
        ("Merino Wool Sweater", 89), ("Linen Shirt", 59), ("Organic Cotton T-Shirt", 28),
        ("Slim Chino Trousers", 69), ("Hooded Sweatshirt", 65), ("Denim Jacket", 98),
        ("Running Socks 3-pack", 15), ("Fleece Pullover", 72),
    ])
    + _products("footwear", "FTW", [
        ("Trail Running Shoes", 129), ("Leather Chelsea Boots", 189), ("Canvas Sneakers", 64),
        ("Wool House Slippers", 42), ("Waterproof Hiking Boots", 159),
    ])
    + _products("accessories", "ACC", [
        ("Cashmere Scarf", 45), ("Leather Card Wallet", 38), ("Canvas Tote Bag", 32),
        ("Wool Beanie", 24), ("Polarized Sunglasses", 79), ("Leather Belt", 49),
    ])
    + _products("home", "HOM", [
        ("Ceramic Mug Set", 24), ("Linen Napkin Set", 29), ("Scented Soy Candle", 22),
        ("Cotton Throw Blanket", 68), ("Cast Iron Skillet", 45), ("Bamboo Cutting Board", 27),
    ])
    + _products("electronics", "ELE", [
        ("Bluetooth Headphones", 149), ("Wireless Charging Pad", 35), ("Portable Power Bank", 49),
        ("Smart LED Desk Lamp", 79), ("USB-C Cable 2-pack", 19), ("Bluetooth Speaker", 89),
    ])
    + _products("stationery", "STA", [
        ("Hand-painted Bookmark Set", 18), ("Dotted Notebook A5", 16), ("Fountain Pen", 42),
        ("Watercolor Postcard Set", 14), ("Leather Journal", 36),
    ])
    + _products("clearance", "CLR", [
        ("Clearance Rain Jacket", 39), ("Clearance Yoga Mat", 19), ("Clearance Travel Mug", 12),
        ("Clearance Graphic Tee", 9),
    ])
)

_FIRST_NAMES = (
    "Emma Liam Olivia Noah Ava Ethan Sophia Mason Isabella Lucas Mia Logan Amelia Jackson Harper "
    "Aiden Evelyn Elijah Abigail Carter Emily Daniel Ella Matthew Grace Samuel Chloe David Zoe "
    "Joseph Nora Henry Lily Owen Hannah Wyatt Layla Caleb Riley Nathan Aria Ryan Leah Isaac Maya "
    "Julian Sofia Gabriel Priya Diego Mei Omar Fatima Hiroshi Ana Kwame Ingrid Rafael Yuki"
).split()
_LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez "
    "Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores "
    "Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Patel Kim Chen Singh "
    "Novak Larsen Okafor Tanaka Silva Kowalski Murphy"
).split()
_STREETS = (
    "Main St", "Oak Ave", "Maple St", "Cedar Ln", "Pine St", "Elm St", "Washington Ave", "Lake St",
    "Hill Rd", "Park Ave", "2nd St", "3rd Ave", "Broadway", "Sunset Blvd", "River Rd",
    "Highland Ave", "Church St", "Mill St", "Spring St", "Forest Dr", "Jefferson St",
    "Lincoln Ave", "Madison Ave", "Franklin St", "Willow Way",
)
# (city, state, ZIPs): real ZIPs of each city, so addresses look right in a demo.
_CITIES: Tuple[Tuple[str, str, Tuple[str, ...]], ...] = (
    ("Portland", "OR", ("97201", "97209", "97214")), ("Denver", "CO", ("80202", "80205", "80218")),
    ("Boston", "MA", ("02108", "02115", "02116")), ("Atlanta", "GA", ("30303", "30308", "30312")),
    ("Miami", "FL", ("33130", "33131", "33137")), ("Phoenix", "AZ", ("85004", "85006", "85016")),
    ("Minneapolis", "MN", ("55401", "55405", "55408")),
    ("Nashville", "TN", ("37203", "37206", "37209")),
    ("Philadelphia", "PA", ("19103", "19106", "19147")),
    ("San Diego", "CA", ("92101", "92103", "92116")),
    ("Los Angeles", "CA", ("90012", "90026", "90034")),
    ("Houston", "TX", ("77002", "77006", "77019")), ("Dallas", "TX", ("75201", "75204", "75214")),
    ("Columbus", "OH", ("43201", "43206", "43215")),
    ("Charlotte", "NC", ("28202", "28203", "28205")),
    ("Raleigh", "NC", ("27601", "27603", "27608")),
    ("Salt Lake City", "UT", ("84101", "84102", "84105")),
    ("Kansas City", "MO", ("64105", "64108", "64111")),
    ("Pittsburgh", "PA", ("15206", "15213", "15222")),
    ("Baltimore", "MD", ("21201", "21202", "21230")),
    ("Madison", "WI", ("53703", "53704", "53711")),
    ("New Orleans", "LA", ("70112", "70115", "70130")),
    ("Sacramento", "CA", ("95811", "95814", "95816")),
    ("Tampa", "FL", ("33602", "33606", "33629")), ("Detroit", "MI", ("48201", "48207", "48226")),
    ("Richmond", "VA", ("23219", "23220", "23221")), ("Burlington", "VT", ("05401", "05408")),
    ("Boise", "ID", ("83702", "83706")), ("San Francisco", "CA", ("94103", "94110", "94117")),
    ("New York", "NY", ("10002", "10011", "10025")), ("Chicago", "IL", ("60607", "60622", "60657")),
    ("Seattle", "WA", ("98103", "98109", "98122")), ("Austin", "TX", ("78701", "78704", "78745")),
)
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
class DemoSummary:
    n_orders: int
    n_customers: int
    n_products: int
    now: datetime
    seed: int
    seconds: float


# --------------------------------------------------------------------------- public API


def generate_demo_shop(
    engine: Engine,
    *,
    seed: int = 7,
    now: Optional[datetime] = None,
    n_orders: int = 3000,
    show_progress: Optional[bool] = None,
) -> DemoSummary:
    """Replace all shop data with the demo shop of `n_orders` orders (8 of them reference orders).

    `now` is naive UTC (default: the current minute); all dates are relative to it. The whole
    replacement is one transaction, so an error leaves the previous data in place.
    """
    started = _time.perf_counter()
    if now is None:
        # The bot's clock, so a frozen SHOP_NOW and the demo data agree.
        now = clock.now().replace(second=0, microsecond=0)
    elif now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    refs = reference_orders(now)
    if not len(refs) <= n_orders <= MAX_ORDERS:
        raise ValueError(f"n_orders must be between {len(refs)} and {MAX_ORDERS:,}, not {n_orders}")
    if show_progress is None:
        show_progress = n_orders >= 50_000 and sys.stderr.isatty()

    create_schema(engine)
    rng = random.Random(seed)
    with engine.begin() as conn:
        clear_shop(conn)
        writer = _ChunkWriter(conn)
        writer.add_all(ShippingMethod, shipping_method_rows())
        writer.add_all(Product, [
            {"id": i, "sku": p.sku, "name": p.name, "category": p.category,
             "price_cents": p.price_cents, "final_sale": p.final_sale}
            for i, p in enumerate(CATALOGUE, start=1)
        ])
        n_customers = _write_reference_orders(writer, now, refs)
        generator = _OrderGenerator(rng, now, n_orders - len(refs), writer.next_ids)
        n_customers += generator.write_customers(writer)
        writer.flush()
        generator.write_orders(writer, show_progress)
        writer.flush()
        writer.add_all(ShopMeta, [
            {"key": "source", "value": "demo"},
            {"key": "demo_seed", "value": str(seed)},
            {"key": "demo_now", "value": now.isoformat()},
            {"key": "demo_orders", "value": str(n_orders)},
        ])
        writer.flush()
        sync_id_sequences(conn)
    refresh_statistics(engine)
    return DemoSummary(n_orders, n_customers, len(CATALOGUE), now, seed,
                       _time.perf_counter() - started)


def demo_meta(engine: Engine) -> Optional[Dict[str, str]]:
    """The ShopMeta facts as a dict ({"source": "demo", "demo_now": ...}); None if none."""
    if not inspect(engine).has_table(ShopMeta.__tablename__):
        return None
    with engine.connect() as conn:
        rows = conn.execute(select(ShopMeta.key, ShopMeta.value)).all()
    return {key: value for key, value in rows} or None


def clear_shop(conn: Connection) -> None:
    """Delete every row of every shop table, children before parents (FK-safe)."""
    for table in reversed(Base.metadata.sorted_tables):
        conn.execute(table.delete())


def shipping_method_rows() -> List[Row]:
    """The default shipping methods as rows with ids 1..5."""
    return [
        {"id": i, "code": m.code, "name": m.name, "min_days": m.min_days, "max_days": m.max_days,
         "price_cents": m.price_cents, "carrier": m.carrier,
         "tracking_included": m.tracking_included}
        for i, m in enumerate(SHIPPING_METHODS, start=1)
    ]


def sync_id_sequences(conn: Connection) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id.

    Otherwise the next ordinary insert (e.g. by the ORM) would reuse id 1 and fail.
    SQLite needs nothing: it always continues after the largest id.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
        ))


def add_business_days(day: date, n: int) -> date:
    """`day` plus `n` working days (Saturdays and Sundays skipped); `day` itself when n == 0."""
    if n <= 0:
        return day
    weekday = day.weekday()
    if weekday >= 5:  # from a weekend, count as if from the Friday before
        day -= timedelta(days=weekday - 4)
        weekday = 4
    weeks, rest = divmod(n, 5)
    # Arithmetic instead of a day-by-day loop: this runs twice per generated order.
    return day + timedelta(days=weeks * 7 + rest + (2 if weekday + rest >= 5 else 0))


# --------------------------------------------------------------------------- writing rows


class _ChunkWriter:
    """Buffers rows per table and bulk-inserts them in chunks, parents before children."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.buffers: Dict[Table, List[Row]] = {}
        # Next free primary key per model; every row gets its id here, never from the DB.
        self.next_ids: Dict[Any, int] = {Customer: 1, Order: 1, OrderItem: 1, Shipment: 1,
                                         TrackingEvent: 1, ReturnRequest: 1, ReturnItem: 1}

    def add_all(self, model: Any, rows: List[Row]) -> None:
        self.buffers.setdefault(model.__table__, []).extend(rows)

    def flush(self) -> None:
        for table in Base.metadata.sorted_tables:  # parents first, so FKs always resolve
            rows = self.buffers.pop(table, [])
            for start in range(0, len(rows), CHUNK_SIZE):
                self.conn.execute(table.insert(), rows[start:start + CHUNK_SIZE])


def _write_reference_orders(writer: _ChunkWriter, now: datetime, refs: List[RefOrder]) -> int:
    """Write the reference customers and orders; returns the number of customers."""
    customer_ids: Dict[str, int] = {}
    for c in reference_customers(now):
        customer_ids[c.email] = cid = writer.next_ids[Customer]
        writer.next_ids[Customer] += 1
        writer.add_all(Customer, [{"id": cid, "email": c.email, "first_name": c.first_name,
                                   "last_name": c.last_name, "created_at": c.created_at}])
    product_ids = {p.name: i for i, p in enumerate(CATALOGUE, start=1)}
    method_ids = {m.code: i for i, m in enumerate(SHIPPING_METHODS, start=1)}
    for ref in refs:
        _write_reference_order(writer, ref, customer_ids[ref.email], product_ids, method_ids)
    return len(customer_ids)


def _write_reference_order(writer: _ChunkWriter, ref: RefOrder, customer_id: int,
                           product_ids: Dict[str, int], method_ids: Dict[str, int]) -> None:
    ids = writer.next_ids
    order_id = ids[Order]
    ids[Order] += 1
    a = ref.address
    writer.add_all(Order, [{
        "id": order_id, "number": ref.number, "customer_id": customer_id, "status": ref.status,
        "placed_at": ref.placed_at, "shipping_method_id": method_ids[ref.shipping_method],
        "billing_zip": ref.billing_zip, "shipping_name": a.name, "shipping_line1": a.line1,
        "shipping_line2": a.line2, "shipping_city": a.city, "shipping_region": a.region,
        "shipping_zip": a.zip, "shipping_country": a.country, "currency": "USD",
        "subtotal_cents": ref.subtotal_cents, "shipping_cents": ref.shipping_cents,
        "total_cents": ref.total_cents, "cancelled_at": ref.cancelled_at,
        "refunded_cents": ref.refunded_cents, "refunded_at": ref.refunded_at,
    }])
    item_ids: Dict[str, int] = {}
    for item in ref.items:
        item_ids[item.product_name] = ids[OrderItem]
        writer.add_all(OrderItem, [{
            "id": ids[OrderItem], "order_id": order_id,
            "product_id": product_ids[item.product_name], "quantity": item.quantity,
            "unit_price_cents": item.unit_price_cents,
        }])
        ids[OrderItem] += 1
    if ref.return_request is not None:
        _write_reference_return(writer, ref, order_id, item_ids)
    s = ref.shipment
    if s is None:
        return
    shipment_id = ids[Shipment]
    ids[Shipment] += 1
    writer.add_all(Shipment, [{
        "id": shipment_id, "order_id": order_id, "carrier": s.carrier,
        "service_level": s.service_level, "tracking_number": s.tracking_number,
        "status": s.status, "shipped_at": s.shipped_at,
        "estimated_delivery_at": s.estimated_delivery_at, "delivered_at": s.delivered_at,
    }])
    for e in s.events:
        writer.add_all(TrackingEvent, [{
            "id": ids[TrackingEvent], "shipment_id": shipment_id, "occurred_at": e.occurred_at,
            "location": e.location, "description": e.description,
        }])
        ids[TrackingEvent] += 1


def _write_reference_return(writer: _ChunkWriter, ref: RefOrder, order_id: int,
                            item_ids: Dict[str, int]) -> None:
    r = ref.return_request
    assert r is not None
    ids = writer.next_ids
    return_id = ids[ReturnRequest]
    ids[ReturnRequest] += 1
    writer.add_all(ReturnRequest, [{
        "id": return_id, "rma": r.rma, "order_id": order_id,
        "status": ReturnStatus.RECEIVED if r.received_at else ReturnStatus.REQUESTED,
        "resolution": ReturnResolution.REFUND, "reason": r.reason, "reason_detail": None,
        "refund_method": r.refund_method, "refund_cents": r.refund_cents,
        "created_at": r.created_at, "updated_at": r.received_at or r.created_at,
        "received_at": r.received_at, "refunded_at": None,
    }])
    quantities = {i.product_name: i.quantity for i in ref.items}
    for name in r.product_names:
        writer.add_all(ReturnItem, [{"id": ids[ReturnItem], "return_id": return_id,
                                     "order_item_id": item_ids[name],
                                     "quantity": quantities[name]}])
        ids[ReturnItem] += 1


# --------------------------------------------------------------------------- random orders


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


class _OrderGenerator:
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

    def write_customers(self, writer: _ChunkWriter) -> int:
        rng = self.rng
        # Created before any generated order, so nobody ordered before they had an account.
        oldest = self.now - timedelta(days=HISTORY_DAYS)
        for k in range(self.n_customers):
            cid = self.first_customer_id + k
            first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
            style = rng.random()
            if style < 0.5:
                local = f"{first}.{last}{cid}"
            elif style < 0.8:
                local = f"{first[0]}{last}{cid}"
            else:
                local = f"{first}{cid}"
            city, region, zips = rng.choice(_CITIES)
            zip_code = rng.choice(zips)
            # Some customers pay with a card registered at another address.
            billing = zip_code if rng.random() < 0.92 else rng.choice(rng.choice(_CITIES)[2])
            line2 = f"Apt {rng.randint(1, 30)}{rng.choice('ABCD')}" if rng.random() < 0.3 else None
            line1 = f"{rng.randint(10, 9899)} {rng.choice(_STREETS)}"
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

    def write_orders(self, writer: _ChunkWriter, show_progress: bool) -> None:
        from tqdm import tqdm  # only needed here; keeps `import bot.shopdata.demo_shop` light

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

    def _order(self, writer: _ChunkWriter, number: int, placed_at: datetime) -> None:
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
