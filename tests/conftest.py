"""Shared fixtures: one seeded demo shop (SQLite) at a fixed 'now' for the whole test run."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

#: The tests' own shop profile and FAQ (copies of the shipped ones) and agents file: a shop
#: edits shop/*.yml, and those edits must not fail the suite. Set before any test runs; servers
#: started by the integration tests inherit them.
SHOP_FIXTURES = Path(__file__).resolve().parent / "support" / "shop"
os.environ["SHOP_PROFILE"] = str(SHOP_FIXTURES / "profile.yml")
os.environ["SHOP_FAQ"] = str(SHOP_FIXTURES / "faq.yml")
os.environ["SHOP_DESK_AGENTS"] = str(SHOP_FIXTURES / "agents.yml")

# A fixed instant: every relative date of the reference orders is computed from it, and the
# bot's clock (bot.core.clock) is frozen to it, so answers are the same on every run.
FIXED_NOW = datetime(2026, 11, 23, 12, 0)
DEMO_ORDERS = 300


@pytest.fixture(scope="session")
def shop_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo shop database; SHOP_DATABASE_URL and SHOP_NOW point the bot at it."""
    from tests.support.fresh_shop import fresh_shop

    path: Path = tmp_path_factory.mktemp("shop") / "shop.db"
    url = f"sqlite:///{path}"
    fresh_shop(url, DEMO_ORDERS).dispose()
    os.environ["SHOP_DATABASE_URL"] = url
    os.environ["SHOP_NOW"] = FIXED_NOW.isoformat()
    return url


@pytest.fixture
def session(shop_db: str):
    from bot.core.db import engine_for, session_scope

    with session_scope(engine_for(shop_db)) as s:
        yield s


@pytest.fixture
def writable_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shop_db: str) -> str:
    """A shop of its own (the reference orders only) for a test whose actions write to it."""
    from tests.support.fresh_shop import fresh_shop

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    fresh_shop(url).dispose()
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    return url


@pytest.fixture(scope="session")
def messaging_api():
    """The messaging providers' APIs, played locally (tests/support/messaging_api_stand_in.py)."""
    from tests.support.messaging_api_stand_in import MessagingApiStandIn

    api = MessagingApiStandIn().start()
    yield api
    api.stop()


@pytest.fixture(autouse=True)
def _forget_failed_proofs():
    """Failed proofs are counted in the shop database across conversations (bot.orders.proof_guard)
    and the clock is frozen, so one test's wrong ZIPs would lock an order for every later test.
    Each test starts from none, as a shop does an hour later."""
    yield
    url = os.environ.get("SHOP_DATABASE_URL")
    if not url:
        return
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from bot.core.db import engine_for

    try:
        with engine_for(url).begin() as conn:
            conn.exec_driver_sql("DELETE FROM failed_proofs")
    except (OperationalError, ProgrammingError):  # no such table: nothing was counted
        pass
