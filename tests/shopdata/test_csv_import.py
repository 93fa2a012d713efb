"""The CSV importer: the documented format, exact error locations, all-or-nothing imports."""
from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Dict

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.core.db import make_engine, session_scope
from bot.core.models import (
    Base,
    Customer,
    OrderStatus,
    Product,
    ShipmentStatus,
    ShippingMethod,
    TrackingEvent,
)
from bot.orders.lookup import OwnerProof, load_order, verify_owner
from bot.orders.report import build_report
from bot.shopdata.csv_import import FILES, CsvImportError, ImportSummary, import_csv_directory
from bot.shopdata.csv_import import importer as csv_importer
from bot.shopdata.demo import demo_meta, generate_demo_shop

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "csv"
DOC = ROOT / "docs" / "csv-import.md"


@pytest.fixture
def engine() -> Engine:
    return make_engine("sqlite://")


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    """A writable copy of the documented example folder."""
    target = tmp_path / "csv"
    shutil.copytree(EXAMPLE, target)
    return target


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text()
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))


def append(folder: Path, file: str, line: str) -> None:
    with (folder / file).open("a") as handle:
        handle.write(line + "\n")


def counts(engine: Engine) -> Dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }


# --------------------------------------------------------------------------- a good import


def test_example_folder_imports(engine: Engine, csv_dir: Path) -> None:
    summary = import_csv_directory(engine, csv_dir)
    assert summary == ImportSummary(customers=2, products=3, shipping_methods=5, orders=2,
                                    order_items=3, shipments=1, tracking_events=5)
    assert str(summary).startswith("2 orders (3 items), 2 customers, 3 products")
    meta = demo_meta(engine)
    assert meta is not None and meta["source"] == "import"
    datetime.fromisoformat(meta["imported_at"])

    with session_scope(engine) as session:
        first = load_order(session, "300001")
        # -05:00 converted to naive UTC.
        assert first.placed_at == datetime(2026, 11, 2, 21, 45)
        assert [(i.product.sku, i.quantity, i.unit_price_cents) for i in first.items] == [
            ("MUG-001", 2, 1800), ("SALE-CAP", 1, 999)  # empty unit_price: the product's price
        ]
        assert (first.subtotal_cents, first.shipping_cents, first.total_cents) == (4599, 695, 5294)
        assert first.status is OrderStatus.DELIVERED
        (shipment,) = first.shipments
        assert shipment.status is ShipmentStatus.DELIVERED
        assert shipment.delivered_at == datetime(2026, 11, 6, 13, 20)
        assert [e.description for e in shipment.events][-1] == "Delivered"

        second = load_order(session, "300002")
        assert second.customer.email == "alan.turing@example.org"  # lowercased
        assert second.customer.created_at == second.placed_at  # default: first order
        assert second.shipping_name == "Alan Turing"
        assert (second.shipping_country, second.currency) == ("US", "USD")
        assert second.shipping_cents == 1495  # two_day's price
        assert second.billing_zip == "02139"
        assert second.shipments == []

        # The bot can find and describe the imported orders.
        assert verify_owner(session, "300002", OwnerProof("zip", "02139")) is not None
        assert verify_owner(session, "300001", OwnerProof("email", "grace.hopper@example.org"))
        report = build_report(first, datetime(2026, 11, 23))
        assert report.items[1].final_sale and report.shipments[0].tracking_url


def test_values_in_other_accepted_spellings(engine: Engine, csv_dir: Path) -> None:
    edit(csv_dir, "products.csv", "MUG-001,Stoneware Mug,home,18.00,false",
         'MUG-001,Stoneware Mug,Home,"$1,018.5",no')
    edit(csv_dir, "orders.csv", "2026-11-20T10:12:00Z,two_day,02139,",
         "2026-11-20 10:12,TWO_DAY,02139-4307,")
    edit(csv_dir, "shipments.csv", ",delivered,standard", ",Delivered,")
    edit(csv_dir, "order_items.csv", "300001,MUG-001,2,18.00", "#300001,MUG-001,2,")
    import_csv_directory(engine, csv_dir)
    with session_scope(engine) as session:
        mug = session.execute(select(Product).where(Product.sku == "MUG-001")).scalar_one()
        assert (mug.price_cents, mug.category, mug.final_sale) == (101850, "home", False)
        second = load_order(session, "300002")
        assert second.placed_at == datetime(2026, 11, 20, 10, 12)
        assert second.billing_zip == "02139-4307"
        assert second.shipping_method.code == "two_day"
        first = load_order(session, "300001")
        assert first.items[0].unit_price_cents == 101850
        assert first.shipments[0].service_level == "standard"


def test_given_total_is_kept_and_dates_default(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_text("email,first_name,last_name\na@example.com,A,B\n")
    (tmp_path / "products.csv").write_text("sku,name,price\nX1,Thing,10.00\n")
    (tmp_path / "orders.csv").write_text(
        "number,customer_email,status,placed_at,shipping_method,billing_zip,shipping_line1,"
        "shipping_city,shipping_zip,total,shipping,cancelled_at,refunded,refunded_at\n"
        "123456,a@example.com,cancelled,2026-05-01,economy,73301,1 Main St,Austin,73301,"
        "10.83,0,2026-05-01T12:00:00+02:00,10.83,2026-05-01T12:00:00+02:00\n"
    )
    (tmp_path / "order_items.csv").write_text("order_number,sku,quantity\n123456,X1,1\n")
    (tmp_path / "shipping_methods.csv").write_text(
        "code,name,min_days,max_days,carrier,price,tracking_included\n"
        "economy,Ground,4,6,USPS,3.00,false\n"
    )
    import_csv_directory(engine, tmp_path)
    with session_scope(engine) as session:
        order = load_order(session, "123456")
        assert order.placed_at == datetime(2026, 5, 1)  # a date alone: midnight UTC
        assert (order.subtotal_cents, order.shipping_cents, order.total_cents) == (1000, 0, 1083)
        assert order.cancelled_at == order.refunded_at == datetime(2026, 5, 1, 10, 0)
        assert order.refunded_cents == 1083
        methods = session.execute(select(ShippingMethod.code, ShippingMethod.name)).all()
        assert methods == [("economy", "Ground")]  # the file replaces the defaults


def test_shipment_defaults(engine: Engine, csv_dir: Path) -> None:
    (csv_dir / "tracking_events.csv").unlink()
    (csv_dir / "shipments.csv").write_text(
        "order_number,tracking_number,carrier,shipped_at\n"
        "300002,1Z999AA10000000001,ups,2026-11-20T16:00:00Z\n"  # a Friday
    )
    import_csv_directory(engine, csv_dir)
    with session_scope(engine) as session:
        (shipment,) = load_order(session, "300002").shipments
        assert shipment.carrier == "UPS"
        assert shipment.service_level == "two_day"
        assert shipment.status is ShipmentStatus.IN_TRANSIT
        assert shipment.delivered_at is None
        # Two business days after a Friday is Tuesday, end of day.
        assert shipment.estimated_delivery_at == datetime(2026, 11, 24, 21, 0)


@pytest.mark.parametrize("holidays, due_day", [(None, 27), (frozenset(), 26)])
def test_the_default_delivery_date_skips_the_shops_holidays(engine: Engine, csv_dir: Path, holidays, due_day) -> None:
    (csv_dir / "tracking_events.csv").unlink()
    (csv_dir / "shipments.csv").write_text(
        "order_number,tracking_number,carrier,shipped_at\n"
        "300002,1Z999AA10000000001,ups,2026-11-24T16:00:00Z\n"  # a Tuesday; Thursday is Thanksgiving
    )
    import_csv_directory(engine, csv_dir, holidays=holidays)  # None: the profile's holidays
    with session_scope(engine) as session:
        (shipment,) = load_order(session, "300002").shipments
        assert shipment.estimated_delivery_at == datetime(2026, 11, due_day, 21, 0)


# --------------------------------------------------------------------------- bad rows


def test_error_message_format() -> None:
    err = CsvImportError("orders.csv", 12, "placed_at",
                         "not a date-time (expected ISO 8601, e.g. 2026-05-01T14:30:00)")
    assert str(err) == (
        "orders.csv line 12, field 'placed_at': "
        "not a date-time (expected ISO 8601, e.g. 2026-05-01T14:30:00)"
    )
    assert (err.file, err.line, err.field) == ("orders.csv", 12, "placed_at")
    assert str(CsvImportError("orders.csv", None, None, "required file is missing")) == (
        "orders.csv: required file is missing"
    )


def test_bad_date_is_reported_exactly(engine: Engine, csv_dir: Path) -> None:
    edit(csv_dir, "orders.csv", "2026-11-20T10:12:00Z", "20/11/2026 10:12")
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    assert str(caught.value) == (
        "orders.csv line 3, field 'placed_at': "
        "not a date-time (expected ISO 8601, e.g. 2026-05-01T14:30:00)"
    )


BAD_ROWS = [
    # (file, old text, new text, line, field, words in the message)
    ("customers.csv", "grace.hopper@example.org,Grace", "grace.hopper(at)example.org,Grace",
     2, "email", "not an email"),
    ("customers.csv", "Alan.Turing@example.org", "GRACE.HOPPER@example.org", 3, "email",
     "duplicate 'grace.hopper@example.org' (also on line 2)"),
    ("customers.csv", "Grace,Hopper", "Grace,", 2, "last_name", "missing value"),
    ("products.csv", "25.00", "25.001", 3, "price", "not an amount of money"),
    ("products.csv", "SALE-CAP", "MUG-001", 4, "sku", "duplicate"),
    ("products.csv", ",true", ",maybe", 4, "final_sale", "yes/no"),
    ("orders.csv", "300002,alan", "300001,alan", 3, "number", "duplicate '300001'"),
    ("orders.csv", "300002,alan", "30002,alan", 3, "number", "not an order number"),
    ("orders.csv", "300002,alan.turing@", "300002,alan.t@", 3, "customer_email",
     "unknown customer"),
    ("orders.csv", ",processing,", ",shipping,", 3, "status",
     "expected one of: pending, processing, shipped, delivered, cancelled"),
    ("orders.csv", ",two_day,", ",overnight,", 3, "shipping_method",
     "unknown shipping method code 'overnight'"),
    ("orders.csv", ",02139,", ",2139,", 3, "billing_zip", "dropped a leading zero"),
    ("orders.csv", ",Cambridge,", ",,", 3, "shipping_city", "missing value"),
    ("orders.csv", "6.95,,,,", "6.95,,,1000.00,", 2, "refunded", "more than the order's total"),
    ("order_items.csv", "300002,TEE", "300003,TEE", 4, "order_number", "not in orders.csv"),
    ("order_items.csv", "300002,TEE-BLK-M", "300002,TEE-RED-M", 4, "sku", "unknown product SKU"),
    ("order_items.csv", "300001,MUG-001,2,", "300001,MUG-001,0,", 2, "quantity", "at least 1"),
    ("order_items.csv", "300001,MUG-001,2,", "300001,MUG-001,two,", 2, "quantity",
     "not a whole number"),
    ("order_items.csv", "300002,TEE-BLK-M,1,25.00", "", 3, "number",
     "order 300002 has no rows in order_items.csv"),
    ("shipments.csv", "300001,94", "300009,94", 2, "order_number", "unknown order 300009"),
    ("shipments.csv", "2026-11-06T13:20:00Z", "2026-11-01T13:20:00Z", 2, "delivered_at",
     "earlier than shipped_at"),
    ("shipments.csv", ",delivered,", ",in_transit,", 2, "delivered_at", "status delivered"),
    ("shipments.csv", ",delivered,", ",lost,", 2, "status", "expected one of: label_created"),
    ("tracking_events.csv", "9400111899223100000019,2026-11-06T13:20",
     "9400111899223100000020,2026-11-06T13:20", 6, "tracking_number", "unknown tracking number"),
    ("tracking_events.csv", "2026-11-05T02:40:00Z", "yesterday", 4, "occurred_at",
     "not a date-time"),
    # Header problems are on line 1.
    ("orders.csv", "placed_at,", "placed_on,", 1, "placed_on", "unknown column"),
    ("order_items.csv", "order_number,sku,quantity", "order_number,sku,qty", 1, "qty",
     "unknown column"),
    ("customers.csv", "email,first_name,last_name", "email,first_name,surname", 1, "surname",
     "unknown column"),
    ("products.csv", "sku,name,category,price,final_sale", "sku,name,category,final_sale", 1,
     "price", "required column is missing"),
]


@pytest.mark.parametrize("file, old, new, line, field, words", BAD_ROWS,
                         ids=[f"{r[0]}-{r[4]}-{i}" for i, r in enumerate(BAD_ROWS)])
def test_bad_row_names_file_line_and_field(engine: Engine, csv_dir: Path, file: str, old: str,
                                           new: str, line: int, field: str, words: str) -> None:
    edit(csv_dir, file, old, new)
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    err = caught.value
    expected_file = "orders.csv" if field in ("number", "refunded") else file
    assert (err.file, err.line, err.field) == (expected_file, line, field), str(err)
    assert words in err.message
    assert str(err).startswith(f"{expected_file} line {line}, field '{field}': ")
    assert sum(counts(engine).values()) == 0


def test_blank_lines_are_skipped_but_counted(engine: Engine, csv_dir: Path) -> None:
    edit(csv_dir, "customers.csv", "Alan.Turing@example.org,Alan,Turing,",
         "\n\nAlan.Turing@example.org,Alan,Turing,not-a-date")
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    assert (caught.value.line, caught.value.field) == (5, "created_at")


def test_row_with_too_many_fields(engine: Engine, csv_dir: Path) -> None:
    append(csv_dir, "order_items.csv", "300002,MUG-001,1,18.00,extra")
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    assert (caught.value.file, caught.value.line) == ("order_items.csv", 5)


def test_stray_empty_spreadsheet_columns_are_ignored(engine: Engine, csv_dir: Path) -> None:
    path = csv_dir / "products.csv"
    path.write_text("\n".join(line + ",," for line in path.read_text().splitlines()) + "\n")
    assert import_csv_directory(engine, csv_dir).products == 3


def test_missing_required_file(engine: Engine, csv_dir: Path) -> None:
    (csv_dir / "order_items.csv").unlink()
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    assert caught.value.file == "order_items.csv" and caught.value.line is None
    with pytest.raises(FileNotFoundError):
        import_csv_directory(engine, csv_dir / "nowhere")


def test_not_utf8(engine: Engine, csv_dir: Path) -> None:
    (csv_dir / "customers.csv").write_bytes(
        "email,first_name,last_name\nzoe@example.com,Zoë,Müller\n".encode("latin-1")
    )
    with pytest.raises(CsvImportError, match="customers.csv: not UTF-8"):
        import_csv_directory(engine, csv_dir)


# --------------------------------------------------------------------------- all or nothing


def test_bad_row_in_third_file_imports_nothing(engine: Engine, csv_dir: Path) -> None:
    # customers.csv and products.csv are fine; orders.csv (the third) has a bad last row.
    append(csv_dir, "orders.csv",
           "300003,grace.hopper@example.org,shipped,2026-11-21T09:00:00Z,standard,22202,,"
           "1 Main St,,Arlington,VA,22202,US,USD,,,,abc,")
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    assert (caught.value.file, caught.value.line, caught.value.field) == (
        "orders.csv", 4, "refunded"
    )
    assert counts(engine) == {t.name: 0 for t in Base.metadata.sorted_tables}


def test_failed_replace_keeps_the_previous_shop(engine: Engine, csv_dir: Path) -> None:
    generate_demo_shop(engine, now=datetime(2026, 11, 23, 12, 0), n_orders=60)
    before = counts(engine)
    edit(csv_dir, "tracking_events.csv", "Out for delivery", "")  # last file, required value
    with pytest.raises(CsvImportError, match="tracking_events.csv line 5, field 'description'"):
        import_csv_directory(engine, csv_dir, replace=True)
    assert counts(engine) == before
    assert demo_meta(engine)["source"] == "demo"


def test_failure_while_writing_rolls_back(engine: Engine, csv_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real_insert = csv_importer._insert

    def insert_then_fail(conn, model, rows):  # noqa: ANN001, ANN202 - test double
        if model is TrackingEvent:
            raise RuntimeError("connection lost")
        return real_insert(conn, model, rows)

    monkeypatch.setattr(csv_importer, "_insert", insert_then_fail)
    with pytest.raises(RuntimeError):
        import_csv_directory(engine, csv_dir)
    assert sum(counts(engine).values()) == 0


# --------------------------------------------------------------------------- adding and replacing


def test_replace_removes_the_demo_shop(engine: Engine, csv_dir: Path) -> None:
    generate_demo_shop(engine, now=datetime(2026, 11, 23, 12, 0), n_orders=60)
    summary = import_csv_directory(engine, csv_dir, replace=True)
    assert summary.replaced and "replaced" in str(summary)
    assert counts(engine)["orders"] == 2
    meta = demo_meta(engine)
    assert meta["source"] == "import" and not any(k.startswith("demo_") for k in meta)


def test_adding_to_the_demo_shop_marks_it_imported(engine: Engine, csv_dir: Path) -> None:
    generate_demo_shop(engine, now=datetime(2026, 11, 23, 12, 0), n_orders=10)
    summary = import_csv_directory(engine, csv_dir)
    assert summary.shipping_methods == 0  # the demo's methods have the standard codes
    assert counts(engine)["orders"] == 12
    meta = demo_meta(engine)
    assert meta["source"] == "import" and set(meta) == {"source", "imported_at", "customer_id_high_water"}


def test_adding_to_existing_data(engine: Engine, csv_dir: Path, tmp_path: Path) -> None:
    import_csv_directory(engine, csv_dir)
    more = tmp_path / "more"
    more.mkdir()
    # An existing customer and product, a new order, and a parcel for an order already imported.
    (more / "customers.csv").write_text("email,first_name,last_name\n")
    (more / "products.csv").write_text("sku,name,price\nPEN-9,Pen,3.50\n")
    (more / "orders.csv").write_text(
        "number,customer_email,status,placed_at,shipping_method,billing_zip,shipping_line1,"
        "shipping_city,shipping_zip\n"
        "300003,Grace.Hopper@example.org,processing,2026-11-22T08:00:00,economy,22202,"
        "1000 Navy Pentagon,Arlington,22202\n"
    )
    (more / "order_items.csv").write_text(
        "order_number,sku,quantity\n300003,MUG-001,1\n300003,PEN-9,2\n"
    )
    (more / "shipments.csv").write_text(
        "order_number,tracking_number,carrier,shipped_at,status\n"
        "300002,1Z999AA10000000002,UPS,2026-11-21T15:00:00Z,In transit\n"
    )
    (more / "tracking_events.csv").write_text(
        "tracking_number,occurred_at,description\n"
        "1Z999AA10000000002,2026-11-21T15:00:00Z,Picked up\n"
        "9400111899223100000019,2026-11-07T09:00:00Z,Left at front door\n"
    )
    summary = import_csv_directory(engine, more)
    assert (summary.orders, summary.products, summary.shipping_methods) == (1, 1, 0)
    assert counts(engine)["orders"] == 3
    assert counts(engine)["shipping_methods"] == 5  # the defaults exist, not added again
    with session_scope(engine) as session:
        order = load_order(session, "300003")
        assert order.customer.email == "grace.hopper@example.org"
        assert order.subtotal_cents == 1800 + 700 and order.shipping_cents == 495
        assert len(load_order(session, "300002").shipments) == 1
        grace = session.execute(select(Customer).where(Customer.id == order.customer_id))
        assert len(grace.scalar_one().orders) == 2

    # The same files again: the keys exist now.
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    assert (caught.value.file, caught.value.line, caught.value.field) == (
        "customers.csv", 2, "email"
    )
    assert "already in the database" in caught.value.message
    assert counts(engine)["orders"] == 3


def test_items_cannot_be_added_to_orders_already_imported(engine: Engine, csv_dir: Path,
                                                          tmp_path: Path) -> None:
    import_csv_directory(engine, csv_dir)
    more = tmp_path / "more"
    shutil.copytree(csv_dir, more)
    for name in ("customers.csv", "products.csv", "orders.csv", "shipments.csv",
                 "tracking_events.csv"):
        (more / name).unlink()
    (more / "customers.csv").write_text("email,first_name,last_name\n")
    (more / "products.csv").write_text("sku,name,price\n")
    (more / "orders.csv").write_text(
        "number,customer_email,status,placed_at,shipping_method,billing_zip,shipping_line1,"
        "shipping_city,shipping_zip\n"
    )
    with pytest.raises(CsvImportError, match="order 300001 is already in the database"):
        import_csv_directory(engine, more)


def test_orders_in_the_database_count_for_duplicates(engine: Engine, csv_dir: Path) -> None:
    generate_demo_shop(engine, now=datetime(2026, 11, 23, 12, 0), n_orders=10)
    edit(csv_dir, "orders.csv", "300001,grace", "100001,grace")
    with pytest.raises(CsvImportError) as caught:
        import_csv_directory(engine, csv_dir)
    assert (caught.value.file, caught.value.line, caught.value.field) == ("orders.csv", 2, "number")


# --------------------------------------------------------------------------- the documentation


def documented_columns() -> Dict[str, Dict[str, bool]]:
    """{file: {column: required}} from the column tables of docs/csv-import.md."""
    documented: Dict[str, Dict[str, bool]] = {}
    current = None
    for line in DOC.read_text().splitlines():
        heading = re.match(r"^### (\w+\.csv)", line)
        if heading:
            current = documented.setdefault(heading.group(1), {})
            continue
        row = re.match(r"^\| `(\w+)` \| (yes|no) \|", line)
        if row and current is not None:
            current[row.group(1)] = row.group(2) == "yes"
    return documented


def test_documentation_lists_exactly_the_columns() -> None:
    expected = {f.name: {c.name: c.required for c in f.columns} for f in FILES}
    assert documented_columns() == expected


def test_documentation_shows_the_command() -> None:
    text = DOC.read_text()
    assert "make import-csv DIR=path/to/csvs" in text
    assert "docs/examples/csv" in text or "examples/csv/" in text


def test_every_documented_default_method_exists(engine: Engine, csv_dir: Path) -> None:
    import_csv_directory(engine, csv_dir)
    with engine.connect() as conn:
        codes = set(conn.execute(select(ShippingMethod.code)).scalars())
    text = DOC.read_text()
    assert all(f"| `{code}` |" in text for code in codes)
    assert codes == {"economy", "standard", "two_day", "next_day", "same_day"}


def test_the_command_names_an_unreadable_profile_instead_of_a_traceback(csv_dir: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        capsys: pytest.CaptureFixture) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("SHOP_PROFILE", str(tmp_path / "missing.yml"))
    monkeypatch.setenv("SHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    assert main(["import-csv", str(csv_dir)]) == 2
    err = capsys.readouterr().err
    assert "nothing was imported: the shop profile" in err and "does not exist" in err


def test_replacing_needs_the_whole_shop_but_adding_does_not(engine, csv_dir, tmp_path):
    (csv_dir / "customers.csv").unlink()
    with pytest.raises(CsvImportError, match="required file is missing") as caught:
        import_csv_directory(engine, csv_dir, replace=True)
    assert caught.value.file == "customers.csv"
    with pytest.raises(CsvImportError, match="no CSV file to import"):
        import_csv_directory(engine, tmp_path)


def test_a_carriers_feed_imported_again_adds_only_its_new_scans(engine, csv_dir, tmp_path):
    import_csv_directory(engine, csv_dir, replace=True)
    before = counts(engine)["tracking_events"]
    feed = tmp_path / "feed"
    feed.mkdir()
    shutil.copy(csv_dir / "tracking_events.csv", feed / "tracking_events.csv")
    append(feed, "tracking_events.csv", '9400111899223100000019,2026-11-05T09:30:00Z,Out for delivery,"Boise, ID"')
    summary = import_csv_directory(engine, feed)  # no --replace: an incremental import
    assert (summary.tracking_events, summary.repeated_tracking_events) == (1, before)
    assert f"{before:,} tracking events already imported, skipped" in str(summary)
    assert counts(engine)["tracking_events"] == before + 1
    again = import_csv_directory(engine, feed)  # the same feed once more: nothing new
    assert (again.tracking_events, counts(engine)["tracking_events"]) == (0, before + 1)
    with session_scope(engine) as session:
        scans = session.execute(select(TrackingEvent.description).order_by(TrackingEvent.occurred_at)).scalars().all()
    assert "Out for delivery" in scans
