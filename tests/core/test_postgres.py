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
