"""Where the bot finds its data: paths and URLs from the environment, with local defaults."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SHOP_DATA_DIR", PROJECT_ROOT / "var"))

#: Environment variable holding the shop database URL (any SQLAlchemy URL).
DATABASE_URL_ENV = "SHOP_DATABASE_URL"
#: The desk's API token, which also authorises agent-reply pushes to the bot's socket.io channel.
DESK_API_TOKEN_ENV = "SHOP_DESK_API_TOKEN"
#: The Rasa server as the desk and the widget's page reach it.
RASA_URL_ENV = "SHOP_RASA_URL"
#: Shortest secret or token accepted, so a guessable value cannot slip through.
MIN_SECRET_LENGTH = 16


def database_url() -> str:
    """The shop database URL; a SQLite file in the data directory by default."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'shop.db'}"
