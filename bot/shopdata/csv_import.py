"""Import a shop's real data from a folder of CSV files (see docs/csv-import.md).

The files refer to each other by natural keys (customer email, product SKU, order number,
shipping method code, tracking number), never by database ids. The import works in two phases:
first every file is read and validated completely, then all rows are written. Both phases run in
one database transaction, so a bad row anywhere leaves the database exactly as it was.

A bad row raises CsvImportError naming the file, the line (the header is line 1) and the column,
which is what an operator needs to fix the file.
"""
from __future__ import annotations

import csv
import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from bot.core.db import create_schema, refresh_statistics
from bot.shopdata.demo_shop import add_business_days, clear_shop
from bot.core.models import (
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    Shipment,
    ShipmentStatus,
    ShippingMethod,
    ShopMeta,
    TrackingEvent,
)
from bot.orders.lookup import normalize_order_number
from bot.shopdata.reference_orders import SHIPPING_METHODS

Row = Dict[str, Any]

#: Rows per bulk insert.
CHUNK_SIZE = 10_000


class CsvImportError(Exception):
    """A problem in one of the CSV files; `line` is 1-based with the header as line 1."""

    def __init__(self, file: str, line: Optional[int], field: Optional[str], message: str) -> None:
        super().__init__(file, line, field, message)
        self.file = file
        self.line = line
        self.field = field
        self.message = message

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


@dataclass
class ImportSummary:
    """How many rows of each kind the import added."""

    customers: int = 0
    products: int = 0
    shipping_methods: int = 0
    orders: int = 0
    order_items: int = 0
    shipments: int = 0
    tracking_events: int = 0
    replaced: bool = False

    def __str__(self) -> str:
        parts = [
            f"{_count(self.orders, 'order')} ({_count(self.order_items, 'item')})",
            _count(self.customers, "customer"),
            _count(self.products, "product"),
            _count(self.shipping_methods, "shipping method"),
            _count(self.shipments, "shipment"),
            _count(self.tracking_events, "tracking event"),
        ]
        text = ", ".join(parts)
        return text + (" (the previous shop data was replaced)" if self.replaced else "")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"

# --------------------------------------------------------------------------- value parsers
# Each parser gets a non-empty, stripped cell and returns the value or raises _Bad(message).


class _Bad(ValueError):
    pass


_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")
_ZIP = re.compile(r"^(\d{5})(?:-(\d{4}))?$")
_MONEY = re.compile(r"^\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")
_CODE = re.compile(r"^[a-z0-9_]+$")
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


def _text(max_length: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise _Bad(f"too long ({len(value)} characters, at most {max_length})")
        return value

    return parse


def _email(value: str) -> str:
    value = value.lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise _Bad("not an email address (e.g. maria@example.com)")
    return value


def _us_zip(value: str) -> str:
    if not _ZIP.match(value):
        # Spreadsheets turn ZIP 02139 into the number 2139; say so, it is the usual cause.
        hint = "; a spreadsheet may have dropped a leading zero" if value.isdigit() else ""
        raise _Bad(f"not a US ZIP code (expected 5 digits or ZIP+4, e.g. 94107{hint})")
    return value


def _money(value: str) -> int:
    """'129.00', '$1,299.5', '15' -> cents."""
    if not _MONEY.match(value):
        raise _Bad("not an amount of money (expected a decimal number like 129.00)")
    return int(Decimal(value.lstrip("$").replace(",", "")) * 100)


def _whole_number(value: str) -> int:
    if not value.isdigit():
        raise _Bad("not a whole number (e.g. 2)")
    return int(value)


def _positive_number(value: str) -> int:
    number = _whole_number(value)
    if number < 1:
        raise _Bad("must be at least 1")
    return number


def _boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise _Bad("not a yes/no value (expected true or false)")


def _datetime(value: str) -> datetime:
    """ISO 8601; with an offset converted to naive UTC, without one taken as UTC already."""
    text = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Bad("not a date-time (expected ISO 8601, e.g. 2026-05-01T14:30:00)") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _order_number(value: str) -> str:
    # The same rule the bot applies when a customer types a number, so every imported
    # order can be found in a conversation.
    number = normalize_order_number(value)
    if number is None:
        raise _Bad("not an order number (expected 6 to 8 digits, e.g. 100001)")
    return number


def _code(value: str) -> str:
    value = value.lower()
    if not _CODE.match(value) or len(value) > 32:
        raise _Bad("not a code (lowercase letters, digits and _, e.g. two_day)")
    return value


def _country(value: str) -> str:
    if not re.match(r"^[A-Za-z]{2}$", value):
        raise _Bad("not a two-letter country code (e.g. US)")
    return value.upper()


def _currency(value: str) -> str:
    if not re.match(r"^[A-Za-z]{3}$", value):
        raise _Bad("not a three-letter currency code (e.g. USD)")
    return value.upper()


def _enum(cls: type) -> Callable[[str], Any]:
    allowed = [m.value for m in cls]  # type: ignore[attr-defined]

    def parse(value: str) -> Any:
        # Accept "In transit" and "in-transit" for in_transit: exports spell them many ways.
        key = re.sub(r"[\s-]+", "_", value.strip().lower())
        if key not in allowed:
            raise _Bad(f"not a valid value (expected one of: {', '.join(allowed)})")
        return cls(key)

    return parse


_CARRIER_SPELLING = {"ups": "UPS", "usps": "USPS", "fedex": "FedEx", "dhl": "DHL"}


def _carrier(value: str) -> str:
    _text(32)(value)
    return _CARRIER_SPELLING.get(value.lower().replace(" ", ""), value)


# --------------------------------------------------------------------------- file layouts


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    parse: Callable[[str], Any]


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: bool
    columns: Tuple[Column, ...]

    def column_names(self) -> List[str]:
        return [c.name for c in self.columns]


def _req(name: str, parse: Callable[[str], Any]) -> Column:
    return Column(name, True, parse)


def _opt(name: str, parse: Callable[[str], Any]) -> Column:
    return Column(name, False, parse)


#: Every file the importer reads, in the order it reads them. docs/csv-import.md documents
#: exactly these columns (a test keeps the two in step).
FILES: Tuple[FileSpec, ...] = (
    FileSpec("shipping_methods.csv", False, (
        _req("code", _code), _req("name", _text(100)), _req("min_days", _whole_number),
        _req("max_days", _whole_number), _req("carrier", _carrier), _req("price", _money),
        _opt("tracking_included", _boolean),
    )),
    FileSpec("customers.csv", True, (
        _req("email", _email), _req("first_name", _text(100)), _req("last_name", _text(100)),
        _opt("created_at", _datetime),
    )),
    FileSpec("products.csv", True, (
        _req("sku", _text(64)), _req("name", _text(200)), _req("price", _money),
        _opt("category", _text(100)), _opt("final_sale", _boolean),
    )),
    FileSpec("orders.csv", True, (
        _req("number", _order_number), _req("customer_email", _email),
        _req("status", _enum(OrderStatus)), _req("placed_at", _datetime),
        _req("shipping_method", _code), _req("billing_zip", _us_zip),
        _opt("shipping_name", _text(200)), _req("shipping_line1", _text(200)),
        _opt("shipping_line2", _text(200)), _req("shipping_city", _text(100)),
        _opt("shipping_region", _text(100)), _req("shipping_zip", _text(16)),
        _opt("shipping_country", _country), _opt("currency", _currency),
        _opt("shipping", _money), _opt("total", _money), _opt("cancelled_at", _datetime),
        _opt("refunded", _money), _opt("refunded_at", _datetime),
    )),
    FileSpec("order_items.csv", True, (
        _req("order_number", _order_number), _req("sku", _text(64)),
        _req("quantity", _positive_number), _opt("unit_price", _money),
    )),
    FileSpec("shipments.csv", False, (
        _req("order_number", _order_number), _req("tracking_number", _text(64)),
        _req("carrier", _carrier), _req("shipped_at", _datetime),
        _opt("estimated_delivery_at", _datetime), _opt("delivered_at", _datetime),
        _opt("status", _enum(ShipmentStatus)), _opt("service_level", _code),
    )),
    FileSpec("tracking_events.csv", False, (
        _req("tracking_number", _text(64)), _req("occurred_at", _datetime),
        _req("description", _text(2000)), _opt("location", _text(200)),
    )),
)
FILES_BY_NAME = {f.name: f for f in FILES}


def read_rows(path: Path, spec: FileSpec) -> Iterator[Tuple[int, Row]]:
    """Yield (line number, parsed values) per data row; blank lines are skipped.

    Missing optional values are None. Raises CsvImportError for a bad header or cell.
    """
    name = spec.name
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:  # -sig: Excel's BOM
            reader = csv.reader(handle, strict=True)
            header = _check_header(name, next(reader, None), spec)
            line = reader.line_num
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if any(cell.strip() for cell in cells[len(header):]):
                    raise CsvImportError(
                        name, start, None, f"{len(cells)} fields but the header has {len(header)}"
                    )
                raw = dict(zip(header, cells))
                yield start, _parse_cells(name, start, raw, spec)
    except UnicodeDecodeError:
        raise CsvImportError(name, None, None, "not UTF-8 text (save it as CSV UTF-8)") from None
    except csv.Error as err:
        raise CsvImportError(name, reader.line_num, None, f"not valid CSV ({err})") from None


def _check_header(name: str, header: Optional[List[str]], spec: FileSpec) -> List[str]:
    if not header or not any(h.strip() for h in header):
        raise CsvImportError(name, 1, None, "no header line (expected the column names)")
    columns = [h.strip().lower() for h in header]
    known = spec.column_names()
    for column in columns:
        if not column:
            continue  # spreadsheets often export stray empty columns; their cells are ignored
        if column not in known:
            raise CsvImportError(
                name, 1, column, f"unknown column (expected some of: {', '.join(known)})"
            )
        if columns.count(column) > 1:
            raise CsvImportError(name, 1, column, "column appears twice")
    for col in spec.columns:
        if col.required and col.name not in columns:
            raise CsvImportError(name, 1, col.name, "required column is missing")
    return columns


def _parse_cells(name: str, line: int, raw: Dict[str, str], spec: FileSpec) -> Row:
    values: Row = {}
    for col in spec.columns:
        cell = (raw.get(col.name) or "").strip()
        if not cell:
            if col.required:
                raise CsvImportError(name, line, col.name, "missing value (the column is required)")
            values[col.name] = None
            continue
        try:
            values[col.name] = col.parse(cell)
        except _Bad as err:
            raise CsvImportError(name, line, col.name, str(err)) from None
    return values


# --------------------------------------------------------------------------- the import


def import_csv_directory(
    engine: Engine, directory: Path, *, replace: bool = False
) -> ImportSummary:
    """Import the CSV files in `directory` in one transaction.

    replace=True deletes all existing shop data first (in the same transaction); otherwise the
    rows are added, and a key that already exists (email, SKU, order number, ...) is an error.
    Raises FileNotFoundError when `directory` does not exist, CsvImportError for bad data.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"no such folder: {directory}")
    for spec in FILES:
        if spec.required and not (directory / spec.name).is_file():
            raise CsvImportError(spec.name, None, None, f"required file is missing in {directory}")
    create_schema(engine)
    with engine.begin() as conn:
        if replace:
            clear_shop(conn)
        importer = _Importer(conn, directory)
        importer.read_all()
        summary = importer.write_all()
        summary.replaced = replace
        _mark_imported(conn)
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


class _Importer:
    """One import: reads every file into `self.new` (phase 1), then writes it (phase 2)."""

    def __init__(self, conn: Connection, directory: Path) -> None:
        self.conn = conn
        self.directory = directory
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
                due = add_business_days(shipped.date(), max_days[row["service_level"]])
                row["estimated_delivery_at"] = datetime.combine(due, time(21))
            self.new.shipments[tracking] = row

    def _read_events(self) -> None:
        file = "tracking_events.csv"
        for line, row in self._rows(file):
            number = row["tracking_number"]
            if number not in self.new.shipments and number not in self.db_shipments:
                raise CsvImportError(
                    file, line, "tracking_number",
                    f"unknown tracking number {number!r} (not in shipments.csv)",
                )
            self.new.events.append(row)

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
        _insert(conn, Customer, [
            {"email": c["email"], "first_name": c["first_name"], "last_name": c["last_name"],
             "created_at": c["created_at"] or first_order.get(c["email"], imported_at)}
            for c in new.customers.values()
        ])
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
        )


def _insert(conn: Connection, model: Any, rows: Sequence[Row]) -> None:
    # Ids come from the database here (unlike the demo generator), so PostgreSQL's
    # sequences stay in step with the rows.
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
