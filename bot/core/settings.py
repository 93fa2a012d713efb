"""Where the bot finds its data: paths and URLs from the environment, with local defaults."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SHOP_DATA_DIR", PROJECT_ROOT / "var"))

#: Environment variable holding the shop database URL (any SQLAlchemy URL).
DATABASE_URL_ENV = "SHOP_DATABASE_URL"


def database_url() -> str:
    """The shop database URL; a SQLite file in the data directory by default."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'shop.db'}"
