"""The same query layer on PostgreSQL (the production database), in a throwaway database.

Uses the local server (postgresql://localhost/test); skips with the reason when it is absent.
"""
from __future__ import annotations

import os
from typing import Iterator

import pytest
from sqlalchemy import text

from ops.service_checks import check_database
from ops.throwaway_postgres import throwaway_postgres
from tests.conftest import FIXED_NOW

pytestmark = pytest.mark.postgres

ADMIN_URL = os.environ.get("SHOP_TEST_POSTGRES_URL", "postgresql://localhost/test")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    problem = check_database("PostgreSQL", "SHOP_TEST_POSTGRES_URL", ADMIN_URL)
    if problem:  # no server, no role, no database: say which
        pytest.skip(problem)
    with throwaway_postgres(ADMIN_URL) as url:
        yield url


@pytest.fixture(scope="module")
def pg_shop(pg_url: str) -> str:
    from bot.core.db import engine_for
    from bot.shopdata.demo import generate_demo_shop

    generate_demo_shop(engine_for(pg_url), seed=7, now=FIXED_NOW, n_orders=500)
    return pg_url


def test_ownership_and_answers_on_postgres(pg_shop: str, monkeypatch: pytest.MonkeyPatch):
    from bot.orders.status import check_ownership, customer_orders, order_status_answer

    monkeypatch.setenv("SHOP_DATABASE_URL", pg_shop)
    check = check_ownership("100001", "Maria.Gonzalez@example.com")
    assert check.verified and sorted(check.customer_orders) == ["100001", "100006"]
    assert not check_ownership("100001", "li.wei@example.com").verified
    assert not check_ownership("999999", "94107").verified

    answer = order_status_answer("100001", FIXED_NOW)
    assert answer is not None and "1Z999AA10123456784" in answer.text
    late = order_status_answer("100005", FIXED_NOW)
    assert late is not None and late.late
    assert [o.number for o in customer_orders(check.customer_id)] == ["100001", "100006"]


def test_generated_shop_has_planner_statistics_on_postgres(pg_shop: str):
    """Without ANALYZE after the bulk load, the planner guesses row counts (docs/benchmarks.md)."""
    from bot.core.db import engine_for

    with engine_for(pg_shop).connect() as conn:
        analyzed = dict(conn.execute(text(
            "select relname, coalesce(last_analyze, last_autoanalyze) is not null "
            "from pg_stat_user_tables")).all())
        estimate = conn.execute(text(
            "select reltuples from pg_class where relname = 'orders'")).scalar_one()
    assert analyzed["orders"] and analyzed["order_items"] and analyzed["shipments"]
    assert estimate == 500


def test_regenerating_replaces_the_shop_on_postgres(pg_shop: str):
    from bot.core.db import engine_for
    from bot.shopdata.demo import generate_demo_shop

    engine = engine_for(pg_shop)
    generate_demo_shop(engine, seed=8, now=FIXED_NOW, n_orders=200)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from orders")).scalar_one() == 200
        assert conn.execute(text("select count(*) from orders where number = '100001'")).scalar_one() == 1


def test_replacing_an_import_keeps_the_bots_records_and_new_rows_get_fresh_ids_on_postgres(pg_url: str, tmp_path):
    import shutil
    from pathlib import Path

    from bot.core.db import engine_for, session_scope
    from bot.core.models import Customer, Handoff, HandoffStatus
    from bot.shopdata.csv_import import import_csv_directory

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "csv"
    csv_dir = tmp_path / "csv"
    shutil.copytree(example, csv_dir)
    engine = engine_for(pg_url)
    import_csv_directory(engine, csv_dir, replace=True)
    with session_scope(engine) as s:
        s.add(Handoff(conversation_id="pg-1", channel="rest", order_numbers='["300001"]', reason="asked",
                      summary="", status=HandoffStatus.QUEUED, created_at=FIXED_NOW, updated_at=FIXED_NOW))
    with engine.connect() as conn:
        before = dict(conn.execute(text("select email, id from customers")).all())
    with (csv_dir / "customers.csv").open("a") as f:
        f.write("ada.lovelace@example.org,Ada,Lovelace,\n")
    import_csv_directory(engine, csv_dir, replace=True)
    with session_scope(engine) as s:  # the ORM's next id comes from the sequence: no clash
        s.add(Customer(email="new.one@example.org", first_name="New", last_name="One", created_at=FIXED_NOW))
    with engine.connect() as conn:
        after = dict(conn.execute(text("select email, id from customers")).all())
        assert conn.execute(text("select count(*) from handoffs where conversation_id = 'pg-1'")).scalar_one() == 1
    assert all(after[e] == i for e, i in before.items())
    assert len(set(after.values())) == len(after) and min(after["ada.lovelace@example.org"],
                                                          after["new.one@example.org"]) > max(before.values())
