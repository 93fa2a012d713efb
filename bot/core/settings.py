"""Where the bot finds its data: paths and URLs from the environment, with local defaults."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("SHOP_DATA_DIR", PROJECT_ROOT / "var"))

#: Environment variable holding the shop database URL (any SQLAlchemy URL).
DATABASE_URL_ENV = "SHOP_DATABASE_URL"
#: The desk's API token (tools calling the desk's JSON API).
DESK_API_TOKEN_ENV = "SHOP_DESK_API_TOKEN"
#: A separate secret between the desk and the bot's socket.io channel, for pushing agent replies
#: to the widget: the desk's API token (given to tools) cannot push to customers.
PUSH_TOKEN_ENV = "SHOP_PUSH_TOKEN"
#: When set, the REST channel answers only requests with 'Authorization: Bearer <token>' (the
#: production deployment requires it: REST callers name their own sender ids).
REST_TOKEN_ENV = "SHOP_REST_TOKEN"
#: Set to 1 by `make run` for the local demo: the desk then accepts the shipped demo agent.
DEMO_ENV = "SHOP_DEMO"
#: The Rasa server as the desk and the widget's page reach it.
RASA_URL_ENV = "SHOP_RASA_URL"
#: The desk only: every Rasa replica, comma-separated, to push agent replies through.
RASA_URLS_ENV = "SHOP_RASA_URLS"
#: The messaging apps' channels: conversation ids "<channel>:<the app's user id>", and pushable.
MESSAGING_CHANNELS = frozenset({"telegram", "facebook", "twilio", "whatsapp", "slack"})
#: Shortest secret or token accepted, so a guessable value cannot slip through.
MIN_SECRET_LENGTH = 16


def tracker_store_url() -> str:
    """Where the conversations are: SHOP_TRACKER_STORE_URL (production), else the local file
    that endpoints.yml names."""
    return os.environ.get("SHOP_TRACKER_STORE_URL", "").strip() or f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"


def database_url() -> str:
    """The shop database URL; a SQLite file in the data directory by default."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'shop.db'}"
