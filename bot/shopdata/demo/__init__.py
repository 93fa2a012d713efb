"""The demo shop: a realistic, reproducible shop database for trying and testing the bot.

`generate_demo_shop` replaces all shop data with: the five shipping methods, a catalogue of
~40 products (`catalogue`), the eight fixed reference orders of `bot.shopdata.reference_orders`,
and as many random orders (numbers from 200001 up, `orders`) as asked for. Everything is derived
from (seed, now, n_orders), so two runs with the same inputs write identical rows.

It is built for size: rows are plain dicts with precomputed primary keys, written with
SQLAlchemy Core bulk inserts in chunks (`writer`), so a million orders take minutes, not hours.
"""
from bot.shopdata.demo.shop import DemoSummary, demo_meta, generate_demo_shop

__all__ = ["DemoSummary", "demo_meta", "generate_demo_shop"]
