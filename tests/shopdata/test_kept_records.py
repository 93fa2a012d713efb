"""`import-csv --replace` keeps what the bot created: returns, claims, handoffs and the outbox,
on the same orders and with the same ids; customers keep their ids; nothing is half imported."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.__main__ import main
from bot.core.db import make_engine, session_scope
from bot.core.models import (
    Claim,
    ClaimKind,
    ClaimStatus,
    Customer,
    Handoff,
    HandoffStatus,
    Order,
    OrderItem,
    OutboxKind,
    OutboxMessage,
    Product,
    ReturnItem,
    ReturnRequest,
    ReturnResolution,
    ReturnStatus,
)
from bot.shopdata.csv_import import import_csv_directory
from bot.shopdata.demo import generate_demo_shop
from bot.shopdata.kept_records import OrphanedRecords

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "csv"
NOW = datetime(2026, 11, 23, 12, 0)


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    target = tmp_path / "csv"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def engine(csv_dir: Path) -> Engine:
    engine = make_engine("sqlite://")
    import_csv_directory(engine, csv_dir)
    return engine


def add_bot_records(engine: Engine) -> dict:
    """A return of the cap of 300001, a claim on 300002's tee shirt, a handoff and its outbox row."""
    with session_scope(engine) as s:
        orders = {o.number: o for o in s.execute(select(Order)).scalars()}
        cap = s.execute(select(OrderItem).join(Product).where(
            OrderItem.order_id == orders["300001"].id, Product.sku == "SALE-CAP")).scalar_one()
        tee = s.execute(select(OrderItem).where(OrderItem.order_id == orders["300002"].id)).scalars().first()
        ret = ReturnRequest(id=41, rma="RMA-300001-1", order_id=orders["300001"].id, status=ReturnStatus.REQUESTED,
                            resolution=ReturnResolution.REFUND, reason="too small", refund_cents=1200,
                            created_at=NOW, updated_at=NOW)
        s.add(ret)
        s.flush()
        s.add(ReturnItem(id=7, return_id=ret.id, order_item_id=cap.id, quantity=1))
        s.add(Claim(id=9, number="CLM-300002-1", order_id=orders["300002"].id, kind=ClaimKind.DAMAGED_ITEM,
                    order_item_id=tee.id, description="torn", status=ClaimStatus.OPEN, created_at=NOW))
        grace = orders["300001"].customer_id
        s.add(Handoff(id=5, conversation_id="web-1", channel="rest", customer_id=grace, order_numbers='["300001"]',
                      reason="asked", summary="wants a person", status=HandoffStatus.QUEUED,
                      created_at=NOW, updated_at=NOW))
        s.add(OutboxMessage(kind=OutboxKind.WEBHOOK, handoff_id=5, payload="{}", next_attempt_at=NOW,
                            created_at=NOW))
        return {"grace": grace, "alan": orders["300002"].customer_id}


def customer_ids(engine: Engine) -> dict:
    with session_scope(engine) as s:
        return {email: cid for email, cid in s.execute(select(Customer.email, Customer.id))}


def test_replacing_the_same_shop_keeps_the_bots_records_on_the_same_orders_and_ids(engine, csv_dir):
    add_bot_records(engine)
    ids_before = customer_ids(engine)
    summary = import_csv_directory(engine, csv_dir, replace=True)
    assert "kept: 1 return and 1 claim on their orders, the handoffs and the outbox" in str(summary)
    with session_scope(engine) as s:
        ret = s.get(ReturnRequest, 41)
        assert ret.rma == "RMA-300001-1" and ret.order.number == "300001"
        (item,) = ret.items
        assert item.id == 7 and item.order_item.order.number == "300001" and item.order_item.product.sku == "SALE-CAP"
        claim = s.get(Claim, 9)
        assert claim.order.number == "300002" and claim.order_item.order_id == claim.order_id
        assert s.get(Handoff, 5).status is HandoffStatus.QUEUED
        assert s.execute(select(OutboxMessage.handoff_id)).scalars().all() == [5]
    assert customer_ids(engine) == ids_before


def test_a_new_customer_never_gets_the_id_of_one_who_was_removed(engine, csv_dir):
    ids_before = customer_ids(engine)
    last = max(ids_before, key=ids_before.get)  # the customer with the highest id
    with session_scope(engine) as s:
        theirs = set(s.execute(select(Order.number).where(Order.customer_id == ids_before[last])).scalars())
    # The re-import has neither that customer nor their orders, and has someone new.
    for name in ("customers.csv", "orders.csv", "order_items.csv", "shipments.csv", "tracking_events.csv"):
        path = csv_dir / name
        path.write_text("\n".join(line for line in path.read_text().splitlines()
                                  if last not in line.lower() and not any(n in line for n in theirs)) + "\n")
    with (csv_dir / "customers.csv").open("a") as f:
        f.write("ada.lovelace@example.org,Ada,Lovelace,\n")
    import_csv_directory(engine, csv_dir, replace=True)
    after = customer_ids(engine)
    assert last not in after and after["ada.lovelace@example.org"] > ids_before[last]
    assert all(after[e] == ids_before[e] for e in after if e in ids_before)


def test_records_whose_order_is_gone_refuse_the_import_and_nothing_changes(engine, csv_dir, capsys,
                                                                         monkeypatch):
    add_bot_records(engine)
    for name in ("orders.csv", "order_items.csv", "shipments.csv", "tracking_events.csv"):
        path = csv_dir / name
        path.write_text("\n".join(line for line in path.read_text().splitlines() if "300002" not in line) + "\n")
    with pytest.raises(OrphanedRecords, match=r"claim CLM-300002-1 \(order 300002\)"):
        import_csv_directory(engine, csv_dir, replace=True)
    with session_scope(engine) as s:
        assert s.get(Claim, 9) is not None and s.execute(select(Order).where(Order.number == "300002")).first()
    monkeypatch.setattr("bot.core.settings.database_url", lambda: "sqlite://")  # the command says so too
    monkeypatch.setattr("bot.core.db.engine_for", lambda url: engine)
    assert main(["import-csv", str(csv_dir), "--replace"]) == 2
    assert "nothing was imported" in capsys.readouterr().err


def test_replacing_the_demo_shop_drops_its_demo_returns_but_keeps_handoffs(csv_dir):
    engine = make_engine("sqlite://")
    generate_demo_shop(engine, now=NOW, n_orders=20)
    with session_scope(engine) as s:
        assert s.execute(select(ReturnRequest)).first()  # the reference orders' returns
        s.add(Handoff(id=3, conversation_id="web-2", channel="rest", order_numbers="[]", reason="asked",
                      summary="", status=HandoffStatus.QUEUED, created_at=NOW, updated_at=NOW))
    summary = import_csv_directory(engine, csv_dir, replace=True)
    assert summary.dropped_demo_records and summary.kept_returns == 0
    with session_scope(engine) as s:
        assert s.execute(select(ReturnRequest)).first() is None and s.get(Handoff, 3) is not None


def test_regenerating_the_demo_shop_keeps_open_handoffs():
    engine = make_engine("sqlite://")
    generate_demo_shop(engine, now=NOW, n_orders=20)
    with session_scope(engine) as s:
        s.add(Handoff(id=3, conversation_id="web-2", channel="rest", order_numbers='["100001"]', reason="asked",
                      summary="", status=HandoffStatus.QUEUED, created_at=NOW, updated_at=NOW))
    generate_demo_shop(engine, now=NOW, n_orders=20)
    with session_scope(engine) as s:
        assert s.get(Handoff, 3).status is HandoffStatus.QUEUED
