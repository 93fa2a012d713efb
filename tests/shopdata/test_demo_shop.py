"""The demo-shop generator: the reference orders exactly, realistic random orders, determinism."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from typing import Dict, List

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload

from bot.core.db import make_engine, session_scope
from bot.core.models import (
    Base,
    Customer,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    Shipment,
    ShipmentStatus,
    ShippingMethod,
)
from bot.orders.lookup import OwnerProof, load_order, verify_owner
from bot.orders.report import build_report
from bot.shipping.delivery_dates import add_business_days
from bot.shopdata.demo import demo_meta, generate_demo_shop
from bot.shopdata.demo import orders as demo_orders
from bot.shopdata.demo import writer as demo_writer
from bot.shopdata.demo.catalogue import CATALOGUE
from bot.shopdata.reference_orders import reference_orders, reference_product_names

NOW = datetime(2026, 5, 1, 14, 30)
N_ORDERS = 3000
DAY = timedelta(days=1)
REFERENCE_NUMBERS = {f"10000{i}" for i in range(1, 9)}

TRACKING_FORMATS = {
    "UPS": re.compile(r"^1Z[0-9A-Z]{16}$"),
    "USPS": re.compile(r"^\d{22}$"),
    "FedEx": re.compile(r"^\d{12}$"),
    "Courier": re.compile(r"^CR\d{10}$"),
}
METHOD_CARRIERS = {
    "economy": "USPS", "standard": "USPS", "two_day": "UPS", "next_day": "FedEx",
    "same_day": "Courier",
}
EVENT_STATUS = {
    "Label created": ShipmentStatus.LABEL_CREATED,
    "Picked up": ShipmentStatus.IN_TRANSIT,
    "In transit": ShipmentStatus.IN_TRANSIT,
    "Departed UPS facility": ShipmentStatus.IN_TRANSIT,
    "Out for delivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "Delivered": ShipmentStatus.DELIVERED,
}


def fresh_engine() -> Engine:
    return make_engine("sqlite://")


@pytest.fixture(scope="module")
def shop() -> Engine:
    """One demo shop of N_ORDERS orders, shared by the read-only tests of this module."""
    engine = fresh_engine()
    generate_demo_shop(engine, seed=7, now=NOW, n_orders=N_ORDERS)
    return engine


@pytest.fixture(scope="module")
def orders(shop: Engine) -> Dict[str, Order]:
    """Every order with items, products, shipments, events, customer and method loaded."""
    with session_scope(shop) as session:
        loaded = session.execute(
            select(Order).options(
                selectinload(Order.items).selectinload(OrderItem.product),
                selectinload(Order.shipments).selectinload(Shipment.events),
                selectinload(Order.customer),
                selectinload(Order.shipping_method),
            )
        ).scalars().all()
        return {o.number: o for o in loaded}


def items_of(order: Order) -> List[tuple]:
    return [(i.product.name, i.quantity, i.unit_price_cents) for i in order.items]


# --------------------------------------------------------------------------- reference orders


def test_planner_statistics_after_generation(shop: Engine) -> None:
    with shop.connect() as conn:
        stats = dict(conn.exec_driver_sql("SELECT tbl, stat FROM sqlite_stat1 WHERE idx IS NULL "
                                          "OR tbl = 'orders'").all())
    assert stats["orders"].split()[0] == str(N_ORDERS)


def test_summary_and_meta(shop: Engine) -> None:
    assert demo_meta(shop) == {
        "source": "demo", "demo_seed": "7", "demo_now": "2026-05-01T14:30:00",
        "demo_orders": str(N_ORDERS),
    }


def test_reference_customers(orders: Dict[str, Order]) -> None:
    names = {o.customer.email: (o.customer.first_name, o.customer.last_name)
             for n, o in orders.items() if n in REFERENCE_NUMBERS}
    assert names == {
        "maria.gonzalez@example.com": ("Maria", "Gonzalez"),
        "li.wei@example.com": ("Li", "Wei"),
        "olga.petrova@example.com": ("Olga", "Petrova"),
        "james.oconnor@example.com": ("James", "O'Connor"),
        "aisha.khan@example.com": ("Aisha", "Khan"),
    }


@pytest.mark.parametrize("number, email, zip_code, city", [
    ("100001", "maria.gonzalez@example.com", "94107", "San Francisco"),
    ("100002", "li.wei@example.com", "10001", "New York"),
    ("100003", "olga.petrova@example.com", "60614", "Chicago"),
    ("100004", "james.oconnor@example.com", "73301", "Austin"),
    ("100005", "aisha.khan@example.com", "98101", "Seattle"),
    ("100006", "maria.gonzalez@example.com", "94107", "San Francisco"),
    ("100007", "li.wei@example.com", "10001", "New York"),
    ("100008", "olga.petrova@example.com", "60614", "Chicago"),
])
def test_reference_order_owner_and_totals(orders: Dict[str, Order], number: str, email: str,
                                          zip_code: str, city: str) -> None:
    order = orders[number]
    assert order.customer.email == email
    assert order.billing_zip == zip_code
    assert (order.shipping_zip, order.shipping_city, order.shipping_country) == (zip_code, city, "US")
    assert order.subtotal_cents == sum(i.quantity * i.unit_price_cents for i in order.items)
    assert order.shipping_cents == order.shipping_method.price_cents
    assert order.total_cents == order.subtotal_cents + order.shipping_cents
    for shipment in order.shipments:
        assert shipment.carrier == METHOD_CARRIERS[order.shipping_method.code]
        assert shipment.service_level == order.shipping_method.code
        assert DAY <= shipment.shipped_at - order.placed_at <= 2 * DAY
        times = [e.occurred_at for e in shipment.events]
        assert times == sorted(times) and times[-1] < NOW


def test_100001_shipped_yesterday_due_tomorrow(orders: Dict[str, Order]) -> None:
    order = orders["100001"]
    assert order.status is OrderStatus.SHIPPED
    assert order.shipping_method.code == "two_day"
    assert items_of(order) == [("Trail Running Shoes", 1, 12900)]
    (shipment,) = order.shipments
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1Z999AA10123456784")
    assert shipment.shipped_at == NOW - DAY
    assert shipment.estimated_delivery_at == NOW + DAY
    assert shipment.delivered_at is None
    assert shipment.status is ShipmentStatus.IN_TRANSIT
    assert [e.description for e in shipment.events] == [
        "Label created", "Picked up", "Departed UPS facility"
    ]
    assert shipment.events[-1].location


def test_100002_processing_without_shipment(orders: Dict[str, Order]) -> None:
    order = orders["100002"]
    assert order.status is OrderStatus.PROCESSING
    assert order.shipping_method.code == "standard"
    assert order.shipments == []
    assert items_of(order) == [("Ceramic Mug Set", 2, 2400)]
    assert order.total_cents == 4800 + 695


@pytest.mark.parametrize("number, days_ago, items", [
    ("100003", 10, [("Merino Wool Sweater", 1, 8900), ("Cashmere Scarf", 1, 4500)]),
    ("100004", 45, [("Bluetooth Headphones", 1, 14900)]),
    ("100006", 5, [("Clearance Rain Jacket", 1, 3900), ("Running Socks 3-pack", 1, 1500)]),
    ("100008", 20, [("Linen Shirt", 1, 5900)]),
])
def test_delivered_reference_orders(orders: Dict[str, Order], number: str, days_ago: int,
                                    items: List[tuple]) -> None:
    order = orders[number]
    assert order.status is OrderStatus.DELIVERED
    assert items_of(order) == items
    (shipment,) = order.shipments
    assert shipment.delivered_at == NOW - timedelta(days=days_ago)
    assert shipment.status is ShipmentStatus.DELIVERED
    assert shipment.tracking_number
    assert DAY <= shipment.delivered_at - shipment.shipped_at <= 5 * DAY
    assert shipment.estimated_delivery_at >= shipment.delivered_at
    last = shipment.events[-1]
    assert (last.description, last.occurred_at) == ("Delivered", shipment.delivered_at)


def test_100005_late_and_possibly_lost(orders: Dict[str, Order], shop: Engine) -> None:
    order = orders["100005"]
    assert order.status is OrderStatus.SHIPPED
    assert order.shipping_method.code == "economy"
    assert items_of(order) == [("Hand-painted Bookmark Set", 1, 1800)]
    (shipment,) = order.shipments
    assert shipment.carrier == "USPS"
    assert shipment.shipped_at == NOW - 14 * DAY
    assert shipment.estimated_delivery_at == NOW - 4 * DAY
    assert shipment.delivered_at is None
    assert shipment.status is ShipmentStatus.IN_TRANSIT
    last = shipment.events[-1]
    assert last.occurred_at == NOW - 9 * DAY
    assert last.description == "In transit" and "Facility" in last.location
    # And the bot's own report sees it the way the scenario needs.
    with session_scope(shop) as session:
        report = build_report(load_order(session, "100005"), NOW)
    assert report.is_late and report.shipments[0].possibly_lost
    assert report.shipments[0].days_late == 4


def test_100006_has_a_final_sale_item(orders: Dict[str, Order]) -> None:
    final = {i.product.name: i.product.final_sale for i in orders["100006"].items}
    assert final == {"Clearance Rain Jacket": True, "Running Socks 3-pack": False}


def test_100007_cancelled_and_refunded(orders: Dict[str, Order]) -> None:
    order = orders["100007"]
    assert order.status is OrderStatus.CANCELLED
    assert order.cancelled_at == NOW - 2 * DAY
    assert order.placed_at < order.cancelled_at
    assert order.refunded_cents == order.total_cents > 0
    assert order.refunded_at == order.cancelled_at
    assert order.shipments == []
    assert len(order.items) == 1


def test_100008_return_received_two_days_ago_refund_pending(shop: Engine) -> None:
    from bot.core.models import ReturnRequest, ReturnStatus

    with session_scope(shop) as session:
        returns = session.execute(select(ReturnRequest)).scalars().all()
        assert [r.rma for r in returns] == ["RMA-100008-1"]  # no other order has a return
        r = returns[0]
        assert r.order.number == "100008"
        assert r.status is ReturnStatus.RECEIVED and r.resolution.value == "refund"
        assert r.received_at == NOW - 2 * DAY and r.created_at < r.received_at
        assert r.refund_cents == 5900 and r.refunded_at is None
        assert [(i.order_item.product.name, i.quantity) for i in r.items] == [("Linen Shirt", 1)]


def test_reference_customers_own_only_reference_orders(orders: Dict[str, Order]) -> None:
    by_email: Dict[str, List[str]] = {}
    for number, order in orders.items():
        by_email.setdefault(order.customer.email, []).append(number)
    assert sorted(by_email["maria.gonzalez@example.com"]) == ["100001", "100006"]
    assert sorted(by_email["li.wei@example.com"]) == ["100002", "100007"]
    assert sorted(by_email["olga.petrova@example.com"]) == ["100003", "100008"]
    assert by_email["james.oconnor@example.com"] == ["100004"]
    assert by_email["aisha.khan@example.com"] == ["100005"]


def test_ownership_proof_works_on_reference_orders(shop: Engine) -> None:
    with session_scope(shop) as session:
        assert verify_owner(session, "100001", OwnerProof("zip", "94107")) is not None
        assert verify_owner(session, "100001", OwnerProof("email", "li.wei@example.com")) is None


# --------------------------------------------------------------------------- catalogue


def test_catalogue_and_shipping_methods(shop: Engine) -> None:
    with session_scope(shop) as session:
        products = {p.name: p for p in session.execute(select(Product)).scalars()}
        methods = {
            m.code: (m.name, m.min_days, m.max_days, m.carrier, m.price_cents, m.tracking_included)
            for m in session.execute(select(ShippingMethod)).scalars()
        }
    assert 35 <= len(products) <= 45
    assert {p.category for p in products.values()} == {
        "apparel", "footwear", "accessories", "home", "electronics", "stationery", "clearance"
    }
    for name, cents in [
        ("Trail Running Shoes", 12900), ("Ceramic Mug Set", 2400), ("Merino Wool Sweater", 8900),
        ("Cashmere Scarf", 4500), ("Bluetooth Headphones", 14900),
        ("Hand-painted Bookmark Set", 1800), ("Clearance Rain Jacket", 3900),
        ("Running Socks 3-pack", 1500), ("Linen Shirt", 5900),
    ]:
        assert products[name].price_cents == cents
    assert products["Clearance Rain Jacket"].category == "clearance"
    assert all(p.final_sale == (p.category == "clearance") for p in products.values())
    assert len({p.sku for p in products.values()}) == len(products)
    assert methods == {
        "economy": ("Economy", 7, 10, "USPS", 495, True),
        "standard": ("Standard", 3, 5, "USPS", 695, True),
        "two_day": ("2-Day", 2, 2, "UPS", 1495, True),
        "next_day": ("Next-Day", 1, 1, "FedEx", 2495, True),
        "same_day": ("Same-Day", 0, 0, "Courier", 1995, True),
    }


# --------------------------------------------------------------------------- generated orders


def test_counts(orders: Dict[str, Order]) -> None:
    assert len(orders) == N_ORDERS
    generated = sorted(int(n) for n in orders if n not in REFERENCE_NUMBERS)
    assert generated == list(range(200001, 200001 + N_ORDERS - 8))
    customers = {o.customer_id for o in orders.values()}
    assert 0.25 * N_ORDERS <= len(customers) <= 0.4 * N_ORDERS


def test_generated_orders_are_consistent(orders: Dict[str, Order]) -> None:
    tracking_numbers = set()
    for number, order in orders.items():
        if number in REFERENCE_NUMBERS:
            continue
        method = order.shipping_method
        assert order.customer.email.endswith("@example.net")
        assert re.fullmatch(r"\d{5}", order.billing_zip)
        assert NOW - 121 * DAY <= order.placed_at <= NOW
        assert order.customer.created_at <= order.placed_at
        assert 1 <= len(order.items) <= 3
        assert len({i.product_id for i in order.items}) == len(order.items)
        assert all(i.unit_price_cents == i.product.price_cents for i in order.items)
        assert order.subtotal_cents == sum(i.quantity * i.unit_price_cents for i in order.items)
        assert order.shipping_cents == method.price_cents
        assert order.total_cents == order.subtotal_cents + order.shipping_cents

        if order.status is OrderStatus.CANCELLED:
            assert order.placed_at <= order.cancelled_at <= NOW
            assert order.refunded_cents == order.total_cents
            assert order.refunded_at == order.cancelled_at
        else:
            assert order.cancelled_at is None and order.refunded_cents == 0
        if order.status in (OrderStatus.CANCELLED, OrderStatus.PENDING, OrderStatus.PROCESSING):
            assert order.shipments == []
            continue

        (shipment,) = order.shipments
        assert shipment.carrier == METHOD_CARRIERS[method.code]
        assert shipment.service_level == method.code
        assert TRACKING_FORMATS[shipment.carrier].match(shipment.tracking_number)
        tracking_numbers.add(shipment.tracking_number)
        assert order.placed_at < shipment.shipped_at <= NOW
        # The estimate is the last day the method promises.
        due = add_business_days(shipment.shipped_at.date(), method.max_days)
        assert shipment.estimated_delivery_at.date() == due

        events = shipment.events
        assert 2 <= len(events) <= 5
        times = [e.occurred_at for e in events]
        assert times == sorted(times)
        assert order.placed_at <= times[0] and times[-1] <= NOW
        assert [e.description for e in events[:2]] == ["Label created", "Picked up"]
        assert shipment.status is EVENT_STATUS.get(events[-1].description, ShipmentStatus.EXCEPTION)
        delivered = events[-1].description == "Delivered"
        assert (shipment.delivered_at == times[-1]) if delivered else shipment.delivered_at is None
        assert order.status is (OrderStatus.DELIVERED if delivered else OrderStatus.SHIPPED)
        if delivered:
            days = (shipment.delivered_at.date() - shipment.shipped_at.date()).days
            assert days >= method.min_days
    reference = {s.tracking_number for n in orders if n in REFERENCE_NUMBERS
                 for s in orders[n].shipments}
    shipped = sum(1 for o in orders.values() if o.shipments) - len(reference)
    assert len(tracking_numbers) == shipped  # unique
    assert not tracking_numbers & reference


def test_status_mix_is_realistic(orders: Dict[str, Order]) -> None:
    generated = [o for n, o in orders.items() if n not in REFERENCE_NUMBERS]
    statuses = Counter(o.status for o in generated)
    assert statuses[OrderStatus.DELIVERED] > 0.8 * len(generated)
    assert 0.01 * len(generated) < statuses[OrderStatus.CANCELLED] < 0.06 * len(generated)
    assert statuses[OrderStatus.SHIPPED] > 0 and statuses[OrderStatus.PROCESSING] > 0
    old = [o for o in generated
           if o.placed_at < NOW - 30 * DAY and o.status is not OrderStatus.CANCELLED]
    assert sum(o.status is OrderStatus.DELIVERED for o in old) > 0.95 * len(old)
    recent = [o for o in generated if o.placed_at > NOW - DAY]
    assert sum(o.status in (OrderStatus.PROCESSING, OrderStatus.SHIPPED,
                            OrderStatus.PENDING) for o in recent) > 0.6 * len(recent)
    carriers = Counter(s.carrier for o in generated for s in o.shipments)
    assert set(carriers) == {"USPS", "UPS", "FedEx", "Courier"}
    some_late = [o for o in generated for s in o.shipments
                 if s.delivered_at and s.delivered_at > s.estimated_delivery_at]
    assert some_late


# --------------------------------------------------------------------------- determinism


def dump(engine: Engine) -> Dict[str, list]:
    """Every row of every shop table, in primary-key order."""
    with engine.connect() as conn:
        return {
            table.name: [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key))]
            for table in Base.metadata.sorted_tables
        }


def reference_rows(engine: Engine) -> Dict[str, list]:
    rows = dump(engine)
    return {
        "orders": rows["orders"][:8], "order_items": rows["order_items"][:10],
        "shipments": rows["shipments"][:6], "tracking_events": rows["tracking_events"][:26],
        "customers": rows["customers"][:5], "products": rows["products"],
        "shipping_methods": rows["shipping_methods"],
    }


def test_same_seed_and_now_give_identical_rows() -> None:
    a, b = fresh_engine(), fresh_engine()
    generate_demo_shop(a, seed=11, now=NOW, n_orders=600)
    generate_demo_shop(b, seed=11, now=NOW, n_orders=600)
    assert dump(a) == dump(b)


def test_other_seed_changes_generated_rows_only() -> None:
    a, b = fresh_engine(), fresh_engine()
    generate_demo_shop(a, seed=1, now=NOW, n_orders=600)
    generate_demo_shop(b, seed=2, now=NOW, n_orders=600)
    assert dump(a)["orders"][8:] != dump(b)["orders"][8:]
    assert dump(a)["customers"][5:] != dump(b)["customers"][5:]
    ref_a = reference_rows(a)
    assert ref_a == reference_rows(b)
    assert [r[1] for r in ref_a["orders"]] == [f"10000{i}" for i in range(1, 9)]
    assert ref_a["tracking_events"][-1][1] == 6  # ids 1..26 are exactly the reference events


def test_reference_orders_move_with_now() -> None:
    engine = fresh_engine()
    later = NOW + timedelta(days=3, hours=5)
    generate_demo_shop(engine, now=later, n_orders=8)
    with session_scope(engine) as session:
        order = load_order(session, "100001")
        assert order.shipments[0].estimated_delivery_at == later + DAY
        assert session.execute(select(Order.number)).scalars().all() == [
            f"10000{i}" for i in range(1, 9)
        ]


# --------------------------------------------------------------------------- replacing data


def test_regenerating_replaces_everything() -> None:
    engine = fresh_engine()
    generate_demo_shop(engine, seed=1, now=NOW, n_orders=400)
    summary = generate_demo_shop(engine, seed=2, now=NOW + DAY, n_orders=100)
    assert summary.n_orders == 100 and summary.seed == 2 and summary.now == NOW + DAY
    assert summary.n_products == len(CATALOGUE)
    with session_scope(engine) as session:
        assert len(session.execute(select(Order.id)).all()) == 100
        assert len(session.execute(select(Customer.id)).all()) == summary.n_customers
    assert demo_meta(engine)["demo_now"] == (NOW + DAY).isoformat()


def test_failure_leaves_previous_shop_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = fresh_engine()
    generate_demo_shop(engine, seed=1, now=NOW, n_orders=300)
    before = dump(engine)
    calls = {"n": 0}
    real = demo_orders.OrderGenerator._order

    def failing(self, *args, **kwargs):  # noqa: ANN001, ANN202 - test double
        calls["n"] += 1
        if calls["n"] > 150:
            raise RuntimeError("disk full")
        return real(self, *args, **kwargs)

    for module in (demo_writer, demo_orders):  # so some chunks are written first
        monkeypatch.setattr(module, "CHUNK_SIZE", 50)
    monkeypatch.setattr(demo_orders.OrderGenerator, "_order", failing)
    with pytest.raises(RuntimeError):
        generate_demo_shop(engine, seed=2, now=NOW, n_orders=400)
    assert dump(engine) == before


def test_empty_database_has_no_meta() -> None:
    engine = fresh_engine()
    assert demo_meta(engine) is None
    Base.metadata.create_all(engine)
    assert demo_meta(engine) is None
    assert "orders" in inspect(engine).get_table_names()


def test_default_now_is_the_current_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_NOW", raising=False)
    summary = generate_demo_shop(fresh_engine(), n_orders=20)
    assert summary.now.second == 0 and summary.now.microsecond == 0
    assert abs(datetime.utcnow() - summary.now) < timedelta(minutes=2)
    assert summary.now.tzinfo is None


def test_default_now_follows_the_bots_frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_NOW", "2026-05-01T16:30:45+02:00")
    summary = generate_demo_shop(fresh_engine(), n_orders=20)
    assert summary.now == NOW


def test_catalogue_holds_every_reference_product() -> None:
    prices = {p.name: p.price_cents for p in CATALOGUE}
    for order in reference_orders(NOW):
        for item in order.items:
            assert prices[item.product_name] == item.unit_price_cents
    assert set(reference_product_names()) <= set(prices)


def test_too_few_orders_is_an_error() -> None:
    with pytest.raises(ValueError):
        generate_demo_shop(fresh_engine(), now=NOW, n_orders=7)


def test_progress_bar_when_asked(capsys: pytest.CaptureFixture) -> None:
    generate_demo_shop(fresh_engine(), now=NOW, n_orders=50, show_progress=True)
    assert "42/42" in capsys.readouterr().err
