"""A throwaway demo shop (reference orders only) for tests that write rows."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine

from bot.core.db import make_engine
from bot.profile.shop_profile import ShopProfile, load_profile
from bot.shopdata.demo import generate_demo_shop
from tests.conftest import FIXED_NOW


def fresh_shop(url: str = "sqlite://", n_orders: int = 8) -> Engine:
    """A new demo shop as of FIXED_NOW: the eight reference orders, plus generated ones
    (seed 7) up to `n_orders`."""
    engine = make_engine(url)
    generate_demo_shop(engine, seed=7, now=FIXED_NOW, n_orders=n_orders)
    return engine


def profile_with(**changes) -> ShopProfile:
    """The shipped profile with some fields changed (claims=... takes a dict of its fields)."""
    profile = load_profile()
    if "claims" in changes:
        changes["claims"] = replace(profile.claims, **changes["claims"])
    return replace(profile, **changes)
