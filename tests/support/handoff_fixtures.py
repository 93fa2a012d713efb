"""A fresh shop database per handoff test, with no webhook or email configured."""
from __future__ import annotations

import pytest

from tests.support.fresh_shop import FIXED_NOW, fresh_shop

#: Monday 2026-11-23 at noon in Los Angeles (20:00 UTC): inside support hours.
OPEN_NOW = "2026-11-23T20:00:00"
OUTBOX_ENV = ("SHOP_HANDOFF_WEBHOOK_URL", "SHOP_HANDOFF_WEBHOOK_SECRET", "SHOP_SMTP_HOST",
              "SHOP_SMTP_PORT", "SHOP_SMTP_USER", "SHOP_SMTP_PASSWORD", "SHOP_SMTP_STARTTLS",
              "SHOP_HANDOFF_EMAIL_TO", "SHOP_HANDOFF_EMAIL_FROM", "SHOP_ALERT_WEBHOOK_URL",
              "SHOP_ALERT_EMAIL_TO", "SHOP_DESK_URL")


@pytest.fixture
def handoff_db(tmp_path, monkeypatch) -> str:
    """SHOP_DATABASE_URL at a new database of the eight reference orders; the clock in hours."""
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    fresh_shop(url).dispose()
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    monkeypatch.setenv("SHOP_NOW", OPEN_NOW)
    for name in OUTBOX_ENV:
        monkeypatch.delenv(name, raising=False)
    return url


def user(text, intent=None, confidence=None, at=1795464000.0):
    parse = {"intent": {"name": intent, "confidence": confidence}} if intent else {}
    return {"event": "user", "text": text, "timestamp": at, "parse_data": parse}


def bot(text, buttons=(), at=1795464001.0):
    return {"event": "bot", "text": text, "timestamp": at, "data": {"buttons": list(buttons)}}


__all__ = ["FIXED_NOW", "OPEN_NOW", "bot", "handoff_db", "user"]
