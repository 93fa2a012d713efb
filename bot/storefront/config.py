"""Storefront configuration from the environment: address, the Rasa server, the token secret."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from bot.core import settings
from bot.core.web_apps import port_from_env
from bot.orders.customer_token import secret_from_env

PORT_ENV = "SHOP_STOREFRONT_PORT"
RASA_URL_ENV = settings.RASA_URL_ENV
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5080
DEFAULT_RASA_URL = "http://localhost:5005"
#: The widget's bundle as npm installs it (web/package-lock.json pins the version).
WIDGET_BUNDLE = settings.PROJECT_ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"


class StorefrontConfigError(ValueError):
    """A configuration value is unusable; the message names the variable."""


@dataclass(frozen=True)
class StorefrontConfig:
    #: Where the browser reaches the Rasa server's socket.io channel.
    rasa_url: str = DEFAULT_RASA_URL
    #: Signs the demo customer's token; None disables the demo sign-in.
    token_secret: Optional[str] = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    widget_bundle: Path = WIDGET_BUNDLE


def _rasa_url(env: Mapping[str, str]) -> str:
    url = (env.get(RASA_URL_ENV) or DEFAULT_RASA_URL).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise StorefrontConfigError(f"{RASA_URL_ENV}={url!r} must start with http:// or https://")
    return url


def load_config(env: Mapping[str, str] = os.environ) -> StorefrontConfig:
    return StorefrontConfig(rasa_url=_rasa_url(env), token_secret=secret_from_env(env),
                            port=port_from_env(env, PORT_ENV, DEFAULT_PORT, StorefrontConfigError))
