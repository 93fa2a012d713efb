"""The import itself: every file read and checked (phase 1), then every row written (phase 2),
in one transaction (see `bot.shopdata.csv_import`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import AbstractSet, Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from bot.core.db import create_schema, refresh_statistics
from bot.core.models import (
    Customer,
    Order,
    OrderItem,
    Product,
    Shipment,
    ShipmentStatus,
    ShippingMethod,
    ShopMeta,
    TrackingEvent,
)
from bot.profile.shop_profile import current_profile
from bot.shipping.delivery_dates import add_business_days
from bot.shopdata import kept_records
from bot.shopdata.csv_import.files import FILES, FILES_BY_NAME, read_rows
from bot.shopdata.csv_import.report import CsvImportError, ImportSummary
from bot.shopdata.reference_orders import SHIPPING_METHODS
from bot.shopdata.tables import CHUNK_SIZE, Row, clear_shop, sync_id_sequences


def import_csv_directory(
    engine: Engine, directory: Path, *, replace: bool = False,
    holidays: Optional[AbstractSet[date]] = None,
) -> ImportSummary:
    """Import the CSV files in `directory` in one transaction.

    replace=True replaces the catalogue, customers, orders, shipments and tracking (in the same
    transaction) and keeps the bot's returns, claims, handoffs and outbox, matched to the new
    orders by number (bot.shopdata.kept_records; customers keep their ids by email); otherwise
    the rows are added (any of the files will do), a key that already exists (email, SKU, order
    number, ...) is an error, and a tracking scan already stored is skipped.
    A shipment without an estimated delivery is due after its method's business days, skipping
    `holidays` (the shop profile's shipping holidays by default).
    Raises FileNotFoundError when `directory` does not exist, CsvImportError for bad data,
    kept_records.OrphanedRecords when kept returns or claims would lose their order.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"no such folder: {directory}")
    # Replacing needs a whole shop; adding to it (new orders, a carrier's new scans) any of them.
    for spec in FILES:
        if replace and spec.required and not (directory / spec.name).is_file():
            raise CsvImportError(spec.name, None, None, f"required file is missing in {directory}")
    if (directory / "orders.csv").is_file() and not (directory / "order_items.csv").is_file():
        raise CsvImportError("order_items.csv", None, None,
                             f"required file is missing in {directory} (orders come with their items)")
    if not any((directory / spec.name).is_file() for spec in FILES):
        names = ", ".join(spec.name for spec in FILES)
        raise CsvImportError(FILES[0].name, None, None, f"no CSV file to import in {directory} ({names})")
    create_schema(engine)
    with engine.begin() as conn:
        kept = kept_records.take(conn) if replace else kept_records.KeptRecords(
            customer_id_mark=kept_records.customer_id_mark(conn))
        if replace:
            clear_shop(conn)
        if holidays is None:
            holidays = current_profile().shipping.holidays
        importer = _Importer(conn, directory, holidays, kept)
        importer.read_all()
        summary = importer.write_all()
        summary.replaced = replace
        # raises OrphanedRecords: then nothing is imported
        summary.kept_returns, summary.kept_claims = kept_records.restore(conn, kept)
        summary.dropped_demo_records = kept.dropped
        kept_records.remember_customer_ids(conn)
        _mark_imported(conn)
        sync_id_sequences(conn)
    refresh_statistics(engine)
    return summary


@dataclass
class _Parsed:
    """Validated rows of one import, keyed by their natural keys, before any is written."""

    methods: List[Row] = dataclasses.field(default_factory=list)
    customers: Dict[str, Row] = dataclasses.field(default_factory=dict)  # by email
    products: Dict[str, Row] = dataclasses.field(default_factory=dict)  # by sku
    orders: Dict[str, Row] = dataclasses.field(default_factory=dict)  # by number
    items: List[Row] = dataclasses.field(default_factory=list)
    shipments: Dict[str, Row] = dataclasses.field(default_factory=dict)  # by tracking number
    events: List[Row] = dataclasses.field(default_factory=list)
    repeated_events: int = 0  # scans already stored (or twice in the file): skipped


class _Importer:
    """One import: reads every file into `self.new` (phase 1), then writes it (phase 2)."""

    def __init__(self, conn: Connection, directory: Path, holidays: AbstractSet[date],
                 kept: kept_records.KeptRecords) -> None:
        self.conn = conn
        self.kept = kept
        self.directory = directory
        self.holidays = holidays
        self.new = _Parsed()
        # What the database already holds (nothing after replace=True's delete), by natural key:
        # rows of the files may refer to these, and must not duplicate them.
        self.db_methods: Dict[str, Tuple[int, int]] = {
            code: (price, max_days)
            for code, price, max_days in conn.execute(
                select(ShippingMethod.code, ShippingMethod.price_cents, ShippingMethod.max_days)
            )
        }
        self.db_customers: Dict[str, str] = {
            email: f"{first} {last}"
            for email, first, last in conn.execute(
                select(Customer.email, Customer.first_name, Customer.last_name)
            )
        }
        self.db_products: Dict[str, int] = dict(
            conn.execute(select(Product.sku, Product.price_cents)).all()
        )
        self.db_orders: Dict[str, str] = dict(  # order number -> shipping method code
            conn.execute(select(Order.number, ShippingMethod.code).join(ShippingMethod)).all()
        )
        self.db_shipments: Dict[str, int] = dict(
            conn.execute(select(Shipment.tracking_number, Shipment.id)).all()
        )

    # ---- phase 1: read and validate everything

    def _rows(self, file_name: str) -> Iterator[Tuple[int, Row]]:
        path = self.directory / file_name
        if path.is_file():
            yield from read_rows(path, FILES_BY_NAME[file_name])

    def read_all(self) -> None:
        self._read_methods()
        self._read_customers()
        self._read_products()
        self._read_orders()
        self._read_items()
        self._read_shipments()
        self._read_events()

    def _read_methods(self) -> None:
        file = "shipping_methods.csv"
        if not (self.directory / file).is_file():
            # No file: make sure the five standard methods exist, keeping any the shop has.
            self.new.methods = [
                {"code": m.code, "name": m.name, "min_days": m.min_days, "max_days": m.max_days,
                 "carrier": m.carrier, "price": m.price_cents,
                 "tracking_included": m.tracking_included}
                for m in SHIPPING_METHODS
                if m.code not in self.db_methods
            ]
            return
        seen: Dict[str, int] = {}
        for line, row in self._rows(file):
            self._unique(file, line, "code", row["code"], seen, self.db_methods)
            if row["max_days"] < row["min_days"]:
                raise CsvImportError(file, line, "max_days", "smaller than min_days")
            if row["tracking_included"] is None:
                row["tracking_included"] = True
            self.new.methods.append(row)

    def _read_customers(self) -> None:
        file = "customers.csv"
        seen: Dict[str, int] = {}
        for line, row in self._rows(file):
            self._unique(file, line, "email", row["email"], seen, self.db_customers)
            self.new.customers[row["email"]] = row

    def _read_products(self) -> None:
        file = "products.csv"
        seen: Dict[str, int] = {}
        for line, row in self._rows(file):
            self._unique(file, line, "sku", row["sku"], seen, self.db_products)
            row["category"] = (row["category"] or "general").lower()
            row["final_sale"] = bool(row["final_sale"])
            self.new.products[row["sku"]] = row

    def _read_orders(self) -> None:
        file = "orders.csv"
        seen: Dict[str, int] = {}
        method_prices = {code: price for code, (price, _) in self.db_methods.items()}
        method_prices.update({m["code"]: m["price"] for m in self.new.methods})
        for line, row in self._rows(file):
            self._unique(file, line, "number", row["number"], seen, self.db_orders)
            email = row["customer_email"]
            if email in self.new.customers:
                c = self.new.customers[email]
                full_name = f"{c['first_name']} {c['last_name']}"
            elif email in self.db_customers:
                full_name = self.db_customers[email]
            else:
                raise CsvImportError(
                    file, line, "customer_email", f"unknown customer {email} (not in customers.csv)"
                )
            if row["shipping_method"] not in method_prices:
                raise CsvImportError(
                    file, line, "shipping_method",
                    f"unknown shipping method code {row['shipping_method']!r} "
                    f"(known: {', '.join(sorted(method_prices))})",
                )
            row["shipping_name"] = row["shipping_name"] or full_name
            row["shipping_country"] = row["shipping_country"] or "US"
            row["currency"] = row["currency"] or "USD"
            if row["shipping"] is None:
                row["shipping"] = method_prices[row["shipping_method"]]
            row["refunded"] = row["refunded"] or 0
            row.update(line=line, subtotal=0, n_items=0)
            self.new.orders[row["number"]] = row

    def _read_items(self) -> None:
        file = "order_items.csv"
        for line, row in self._rows(file):
            number = row["order_number"]
            order = self.new.orders.get(number)
            if order is None:
                # Items make up an order's total, so they may only belong to orders of this import.
                where = "already in the database" if number in self.db_orders else "not in orders.csv"
                raise CsvImportError(file, line, "order_number", f"order {number} is {where}")
            sku = row["sku"]
            if sku in self.new.products:
                price = self.new.products[sku]["price"]
            elif sku in self.db_products:
                price = self.db_products[sku]
            else:
                raise CsvImportError(
                    file, line, "sku", f"unknown product SKU {sku!r} (not in products.csv)"
                )
            if row["unit_price"] is None:
                row["unit_price"] = price
            order["subtotal"] += row["quantity"] * row["unit_price"]
            order["n_items"] += 1
            self.new.items.append(row)
        # Totals can only be checked once every item is known.
        for number, order in self.new.orders.items():
            if order["n_items"] == 0:
                raise CsvImportError(
                    "orders.csv", order["line"], "number",
                    f"order {number} has no rows in order_items.csv",
                )
            if order["total"] is None:
                order["total"] = order["subtotal"] + order["shipping"]
            if order["refunded"] > order["total"]:
                raise CsvImportError(
                    "orders.csv", order["line"], "refunded", "more than the order's total"
                )

    def _read_shipments(self) -> None:
        file = "shipments.csv"
        seen: Dict[str, int] = {}
        max_days = {code: days for code, (_, days) in self.db_methods.items()}
        max_days.update({m["code"]: m["max_days"] for m in self.new.methods})
        for line, row in self._rows(file):
            tracking = row["tracking_number"]
            self._unique(file, line, "tracking_number", tracking, seen, self.db_shipments)
            number = row["order_number"]
            if number in self.new.orders:
                method_code = self.new.orders[number]["shipping_method"]
            elif number in self.db_orders:
                method_code = self.db_orders[number]
            else:
                raise CsvImportError(
                    file, line, "order_number", f"unknown order {number} (not in orders.csv)"
                )
            if row["service_level"] is None:
                row["service_level"] = method_code
            elif row["service_level"] not in max_days:
                raise CsvImportError(
                    file, line, "service_level",
                    f"unknown shipping method code {row['service_level']!r}",
                )
            shipped, delivered = row["shipped_at"], row["delivered_at"]
            if delivered is not None and delivered < shipped:
                raise CsvImportError(file, line, "delivered_at", "earlier than shipped_at")
            if row["status"] is None:
                row["status"] = ShipmentStatus.DELIVERED if delivered else ShipmentStatus.IN_TRANSIT
            elif (row["status"] is ShipmentStatus.DELIVERED) != (delivered is not None):
                # The bot trusts delivered_at; a status saying otherwise would contradict it.
                raise CsvImportError(
                    file, line, "delivered_at",
                    "status delivered needs delivered_at, and delivered_at needs status delivered",
                )
            if row["estimated_delivery_at"] is None:
                # The latest day the service promises, by the end of that day.
                due = add_business_days(shipped.date(), max_days[row["service_level"]], self.holidays)
                row["estimated_delivery_at"] = datetime.combine(due, time(21))
            self.new.shipments[tracking] = row

    def _read_events(self) -> None:
        """New scans only: a carrier's feed can be imported again and again without --replace;
        a scan already stored for the parcel (same time and description) is skipped."""
        file = "tracking_events.csv"
        stored = self._stored_scans({row["tracking_number"] for _, row in self._rows(file)})
        seen = set()
        for line, row in self._rows(file):
            number = row["tracking_number"]
            if number not in self.new.shipments and number not in self.db_shipments:
                raise CsvImportError(
                    file, line, "tracking_number",
                    f"unknown tracking number {number!r} (not in shipments.csv)",
                )
            scan = (number, row["occurred_at"], row["description"])
            if scan in stored or scan in seen:
                self.new.repeated_events += 1
                continue
            seen.add(scan)
            self.new.events.append(row)

    def _stored_scans(self, numbers: AbstractSet[str]) -> AbstractSet[Tuple[str, datetime, str]]:
        """The scans the database holds for those of `numbers` already imported."""
        known = sorted(n for n in numbers if n in self.db_shipments)
        scans: Set[Tuple[str, datetime, str]] = set()
        for start in range(0, len(known), 500):
            scans.update((n, at, d) for n, at, d in self.conn.execute(
                select(Shipment.tracking_number, TrackingEvent.occurred_at, TrackingEvent.description)
                .join(Shipment, TrackingEvent.shipment_id == Shipment.id)
                .where(Shipment.tracking_number.in_(known[start:start + 500]))))
        return scans

    @staticmethod
    def _unique(file: str, line: int, column: str, key: str, seen: Dict[str, int],
                in_db: Dict[str, Any]) -> None:
        if key in seen:
            raise CsvImportError(
                file, line, column, f"duplicate {key!r} (also on line {seen[key]})"
            )
        if key in in_db:
            raise CsvImportError(
                file, line, column,
                f"{key!r} is already in the database (import with --replace to start over)",
            )
        seen[key] = line

    # ---- phase 2: write (everything is valid by now)

    def write_all(self) -> ImportSummary:
        new, conn = self.new, self.conn
        _insert(conn, ShippingMethod, [
            {"code": m["code"], "name": m["name"], "min_days": m["min_days"],
             "max_days": m["max_days"], "price_cents": m["price"], "carrier": m["carrier"],
             "tracking_included": m["tracking_included"]}
            for m in new.methods
        ])
        method_ids = _ids(conn, ShippingMethod.code, ShippingMethod.id)

        # A customer without created_at joined when they first ordered (or now, without orders).
        first_order: Dict[str, datetime] = {}
        for o in new.orders.values():
            email = o["customer_email"]
            first_order[email] = min(o["placed_at"], first_order.get(email, o["placed_at"]))
        imported_at = _utc_now()
        # A returning customer keeps their id; a new one gets one never given before.
        next_id = self.kept.customer_id_mark + 1
        customer_rows = []
        for c in new.customers.values():
            cid = self.kept.customer_ids.get(c["email"])
            if cid is None:
                cid, next_id = next_id, next_id + 1
            customer_rows.append({
                "id": cid, "email": c["email"], "first_name": c["first_name"], "last_name": c["last_name"],
                "created_at": c["created_at"] or first_order.get(c["email"], imported_at)})
        _insert(conn, Customer, customer_rows)
        customer_ids = _ids(conn, Customer.email, Customer.id)

        _insert(conn, Product, [
            {"sku": p["sku"], "name": p["name"], "category": p["category"],
             "price_cents": p["price"], "final_sale": p["final_sale"]}
            for p in new.products.values()
        ])
        product_ids = _ids(conn, Product.sku, Product.id)

        _insert(conn, Order, [
            {"number": o["number"], "customer_id": customer_ids[o["customer_email"]],
             "status": o["status"], "placed_at": o["placed_at"],
             "shipping_method_id": method_ids[o["shipping_method"]],
             "billing_zip": o["billing_zip"], "shipping_name": o["shipping_name"],
             "shipping_line1": o["shipping_line1"], "shipping_line2": o["shipping_line2"],
             "shipping_city": o["shipping_city"], "shipping_region": o["shipping_region"],
             "shipping_zip": o["shipping_zip"], "shipping_country": o["shipping_country"],
             "currency": o["currency"], "subtotal_cents": o["subtotal"],
             "shipping_cents": o["shipping"], "total_cents": o["total"],
             "cancelled_at": o["cancelled_at"], "refunded_cents": o["refunded"],
             "refunded_at": o["refunded_at"]}
            for o in new.orders.values()
        ])
        order_ids = _ids(conn, Order.number, Order.id)

        _insert(conn, OrderItem, [
            {"order_id": order_ids[i["order_number"]], "product_id": product_ids[i["sku"]],
             "quantity": i["quantity"], "unit_price_cents": i["unit_price"]}
            for i in new.items
        ])
        _insert(conn, Shipment, [
            {"order_id": order_ids[s["order_number"]], "carrier": s["carrier"],
             "service_level": s["service_level"], "tracking_number": s["tracking_number"],
             "status": s["status"], "shipped_at": s["shipped_at"],
             "estimated_delivery_at": s["estimated_delivery_at"], "delivered_at": s["delivered_at"]}
            for s in new.shipments.values()
        ])
        shipment_ids = _ids(conn, Shipment.tracking_number, Shipment.id)
        _insert(conn, TrackingEvent, [
            {"shipment_id": shipment_ids[e["tracking_number"]], "occurred_at": e["occurred_at"],
             "location": e["location"], "description": e["description"]}
            for e in new.events
        ])
        return ImportSummary(
            customers=len(new.customers), products=len(new.products),
            shipping_methods=len(new.methods), orders=len(new.orders), order_items=len(new.items),
            shipments=len(new.shipments), tracking_events=len(new.events),
            repeated_tracking_events=new.repeated_events,
        )


def _insert(conn: Connection, model: Any, rows: Sequence[Row]) -> None:
    # Ids come from the database here (unlike the demo generator), except customers' (kept
    # across a replace); sync_id_sequences moves PostgreSQL's sequences past them.
    for start in range(0, len(rows), CHUNK_SIZE):
        conn.execute(model.__table__.insert(), list(rows[start:start + CHUNK_SIZE]))


def _ids(conn: Connection, key: Any, id_column: Any) -> Dict[str, int]:
    """Natural key -> database id for a whole table (the rows just written included)."""
    return dict(conn.execute(select(key, id_column)).all())


def _utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _mark_imported(conn: Connection) -> None:
    """Record that the shop holds imported data, so `ensure-demo` never overwrites it.

    The demo_* facts go: whatever demo rows remain are now mixed with real ones.
    """
    table = ShopMeta.__table__
    conn.execute(table.delete().where(
        table.c.key.in_(["source", "imported_at"]) | table.c.key.like("demo\\_%", escape="\\")
    ))
    conn.execute(table.insert(), [
        {"key": "source", "value": "import"},
        {"key": "imported_at", "value": _utc_now().isoformat()},
    ])
