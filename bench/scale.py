"""`python -m bench scale`: order lookups on a large shop, in SQLite and PostgreSQL.

Generates the demo shop with N orders (bot/shopdata/demo/, what `python -m bot seed-demo
--orders N` runs) in a SQLite file and in a throwaway PostgreSQL database, times the
bot's own lookup calls (bot/orders/status.py over bot/orders/lookup.py) on random orders, shows
the query plans (the indexes in use), then measures the bot end to end on each database.
The SQLite file is kept in var/bench/ for reruns; the PostgreSQL database (bench_shop) is
dropped at the end unless --keep-postgres.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.load_generator import latency_summary
from bench.machine import load_averages
from bench.results import REPORT_DIR, ROOT, table, write_report
from ops.throwaway_postgres import throwaway_postgres

DEFAULT_SQLITE = ROOT / "var" / "bench" / "scale-shop.db"
DEFAULT_PG_ADMIN = "postgresql://127.0.0.1:5432/postgres"
PG_DATABASE = "bench_shop"
#: What the bot asks the database: one query each, as in bot/orders/lookup.py.
PLANS = {
    "order by number": "SELECT * FROM orders WHERE number = :number",
    "orders of a customer": "SELECT * FROM orders WHERE customer_id = :customer ORDER BY placed_at DESC",
    "items of an order": "SELECT * FROM order_items WHERE order_id = :order_id",
    "shipments of an order": "SELECT * FROM shipments WHERE order_id = :order_id",
}
HEADERS = ["database", "orders", "lookup", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms"]


def ensure_shop(engine: Engine, n_orders: int, regenerate: bool = False) -> Dict[str, Any]:
    """The demo shop with `n_orders` orders, generated unless the database already holds it."""
    from bot.shopdata.demo import demo_meta, generate_demo_shop

    meta = demo_meta(engine)
    if not regenerate and meta and meta.get("source") == "demo" and meta.get("demo_orders") == str(n_orders):
        return {"generated": False, "demo_now": meta["demo_now"]}
    summary = generate_demo_shop(engine, seed=7, n_orders=n_orders, show_progress=n_orders >= 50_000)
    return {"generated": True, "generation_seconds": round(summary.seconds, 1),
            "demo_now": summary.now.isoformat()}


def sample_orders(engine: Engine, count: int, seed: int = 11) -> List[Tuple[str, str, int]]:
    """(number, email, order id) of random orders, spread over the whole number range."""
    with engine.connect() as conn:
        low, high = conn.execute(text("SELECT min(id), max(id) FROM orders")).one()
        ids = random.Random(seed).sample(range(low, high + 1), min(count, high - low + 1))
        rows = conn.execute(text(
            "SELECT o.number, c.email, o.id FROM orders o JOIN customers c ON c.id = o.customer_id "
            "WHERE o.id IN (" + ",".join(str(i) for i in ids) + ")")).all()
    return [tuple(r) for r in rows]


def _time_calls(call: Callable[[Any], Any], args: Sequence[Any]) -> Dict[str, Any]:
    timings = []
    for arg in args:
        started = time.perf_counter()
        call(arg)
        timings.append((time.perf_counter() - started) * 1000)
    return {"calls": len(timings), **latency_summary(timings)}


@contextmanager
def shop_url(url: str) -> Iterator[None]:
    """Point the bot's services (they read SHOP_DATABASE_URL) at `url` for a while."""
    old = os.environ.get("SHOP_DATABASE_URL")
    os.environ["SHOP_DATABASE_URL"] = url
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SHOP_DATABASE_URL", None)
        else:
            os.environ["SHOP_DATABASE_URL"] = old


def time_lookups(url: str, lookups: int, now: datetime) -> Dict[str, Dict[str, Any]]:
    """The bot's lookups, each timed on its own: proof of ownership, status answer, a miss."""
    from bot.core.db import engine_for
    from bot.orders.status import check_ownership, order_status_answer

    sample = sample_orders(engine_for(url), lookups)
    with shop_url(url):
        check_ownership(*sample[0][:2])  # the first call opens the connection pool
        results = {
            "proof of ownership (verify_owner + orders_of_customer)":
                _time_calls(lambda o: _must(check_ownership(o[0], o[1]).verified), sample),
            "status answer (load_order + report + text)":
                _time_calls(lambda o: _must(order_status_answer(o[0], now)), sample),
            "unknown order (same reply as a wrong proof)":
                _time_calls(lambda o: check_ownership(str(90000000 + o[2] % 9999999), o[1]), sample),
        }
    return results


def _must(value: Any) -> Any:
    if not value:
        raise AssertionError("a lookup of an existing order with its proof failed")
    return value


def query_plans(engine: Engine) -> Dict[str, List[str]]:
    """EXPLAIN of the bot's main queries, to show they use the indexes."""
    with engine.connect() as conn:
        number, customer, order_id = conn.execute(
            text("SELECT number, customer_id, id FROM orders ORDER BY id DESC LIMIT 1")).one()
        params = {"number": number, "customer": customer, "order_id": order_id}
        sqlite = engine.dialect.name == "sqlite"
        plans = {}
        for name, sql in PLANS.items():
            rows = conn.execute(text(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql), params).all()
            plans[name] = [str(r[-1]) for r in rows]
    return plans


def measure_database(label: str, url: str, n_orders: int, lookups: int, regenerate: bool,
                     e2e_concurrency: Sequence[int], e2e_duration: float) -> Dict[str, Any]:
    from bot.core.db import engine_for

    engine = engine_for(url)
    shop = ensure_shop(engine, n_orders, regenerate)
    now = datetime.fromisoformat(shop["demo_now"])
    with engine.connect() as conn:
        counted = conn.execute(text("SELECT count(*) FROM orders")).scalar_one()
    result: Dict[str, Any] = {"database": label, "orders": counted, **shop,
                              "load_before": load_averages(),
                              "lookups": time_lookups(url, lookups, now),
                              "query_plans": query_plans(engine)}
    if e2e_duration > 0 and e2e_concurrency:
        result["end_to_end"] = end_to_end(url, e2e_concurrency, e2e_duration)
    result["load_after"] = load_averages()
    return result


def end_to_end(url: str, concurrency: Sequence[int], duration: float) -> Dict[str, Any]:
    """The bot over REST on this database (scripted conversations, as bench load)."""
    from bench.bot_servers import running_bot
    from bench.load import run_levels
    from ops.model_cache import ensure_model

    with running_bot(ensure_model(), database_url=url) as bot:
        measured = asyncio.run(run_levels(bot.webhook_url, concurrency, duration, 5000,
                                          bot.pids(), warmup=10))
    return {"seconds_to_first_answer": bot.seconds_to_first_answer, **measured}


def rows(databases: List[Dict[str, Any]]) -> List[List[Any]]:
    out = []
    for db in databases:
        for name, t in db["lookups"].items():
            out.append([db["database"], db["orders"], name, t["calls"], t["p50_ms"], t["p95_ms"],
                        t["p99_ms"], t["max_ms"]])
    return out


def e2e_rows(databases: List[Dict[str, Any]]) -> List[List[Any]]:
    return [[db["database"], lv["concurrency"], lv["messages"], lv["messages_per_second"],
             lv["p50_ms"], lv["p95_ms"], lv["p99_ms"], lv["errors"], lv["wrong_answers"]]
            for db in databases for lv in db.get("end_to_end", {}).get("levels", [])]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the shop")
    parser.add_argument("--lookups", type=int, default=500, help="random orders looked up")
    parser.add_argument("--sqlite-path", type=Path, default=DEFAULT_SQLITE)
    parser.add_argument("--postgres-admin-url", default=DEFAULT_PG_ADMIN,
                        help="a server where the throwaway database can be created")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--keep-postgres", action="store_true",
                        help="keep the bench_shop database for the next run (dropped otherwise)")
    parser.add_argument("--regenerate", action="store_true", help="generate the shops even if present")
    parser.add_argument("--e2e-concurrency", default="1,10", help="N values end to end")
    parser.add_argument("--e2e-duration", type=float, default=20,
                        help="seconds per end-to-end level; 0 skips the end-to-end runs")
    parser.add_argument("--out-dir", type=Path, default=REPORT_DIR)
    args = parser.parse_args(argv)

    concurrency = [int(n) for n in args.e2e_concurrency.split(",") if n.strip()]
    args.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    databases = [measure_database("SQLite", f"sqlite:///{args.sqlite_path}", args.orders,
                                  args.lookups, args.regenerate, concurrency, args.e2e_duration)]
    if not args.no_postgres:
        with throwaway_postgres(args.postgres_admin_url, PG_DATABASE, args.keep_postgres) as url:
            databases.append(measure_database("PostgreSQL", url, args.orders, args.lookups,
                                              args.regenerate, concurrency, args.e2e_duration))
    target = write_report("scale", {"orders": args.orders, "databases": databases}, args.out_dir)
    print(table(HEADERS, rows(databases)))
    if any("end_to_end" in db for db in databases):
        print()
        print(table(["database", "N", "messages", "msg/s", "p50 ms", "p95 ms", "p99 ms", "errors",
                     "wrong"], e2e_rows(databases)))
    for db in databases:
        print(f"\n{db['database']} query plans:")
        for name, plan in db["query_plans"].items():
            print(f"  {name}: {' | '.join(plan)}")
    print(f"\nReport: {target}")
    return 0
