"""Generating the demo shop (see `bot.shopdata.demo`): one transaction that empties the shop and
writes its methods, catalogue, reference orders, random orders and the facts it was made from.
"""
from __future__ import annotations

import random
import sys
import time as _time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Optional

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from bot.core import clock
from bot.core.db import create_schema, refresh_statistics
from bot.core.models import (
    Product,
    ShippingMethod,
    ShopMeta,
)
from bot.shopdata.demo.catalogue import CATALOGUE, shipping_method_rows
from bot.shopdata.demo.orders import OrderGenerator
from bot.shopdata.demo.writer import ChunkWriter, write_reference_orders
from bot.shopdata.reference_orders import (
    reference_orders,
)
from bot.shopdata.tables import clear_shop, sync_id_sequences

#: Tracking numbers embed the shipment id in 7 digits, which bounds the shop's size.
MAX_ORDERS = 9_000_000


@dataclass(frozen=True)
class DemoSummary:
    n_orders: int
    n_customers: int
    n_products: int
    now: datetime
    seed: int
    seconds: float


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
        writer = ChunkWriter(conn)
        writer.add_all(ShippingMethod, shipping_method_rows())
        writer.add_all(Product, [
            {"id": i, "sku": p.sku, "name": p.name, "category": p.category,
             "price_cents": p.price_cents, "final_sale": p.final_sale}
            for i, p in enumerate(CATALOGUE, start=1)
        ])
        n_customers = write_reference_orders(writer, now, refs)
        generator = OrderGenerator(rng, now, n_orders - len(refs), writer.next_ids)
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
