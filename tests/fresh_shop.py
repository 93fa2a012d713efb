"""A throwaway demo shop (reference orders only) for tests that write rows."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.db import make_engine
from bot.demo_shop import generate_demo_shop
from bot.shop_profile import ShopProfile, load_profile

FIXED_NOW = datetime(2026, 11, 23, 12, 0)  # the same instant as tests/conftest.py


def fresh_shop(url: str = "sqlite://") -> Engine:
    """A new database holding just the eight reference orders as of FIXED_NOW."""
    engine = make_engine(url)
    generate_demo_shop(engine, seed=7, now=FIXED_NOW, n_orders=8)
    return engine


def profile_with(**changes) -> ShopProfile:
    """The shipped profile with some fields changed (claims=... takes a dict of its fields)."""
    profile = load_profile()
    if "claims" in changes:
        changes["claims"] = replace(profile.claims, **changes["claims"])
    return replace(profile, **changes)
