"""The tracker store adds up conversation outcomes in the shop database: here a fresh file."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def outcomes_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'shop-outcomes.db'}"
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    return url
