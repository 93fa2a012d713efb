"""Desk configuration from the environment: address, secrets, agents file, display time zone."""
from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Mapping, Optional

from bot.core import settings
from bot.core.web_apps import port_from_env

log = logging.getLogger(__name__)

PORT_ENV = "SHOP_DESK_PORT"
SECRET_ENV = "SHOP_DESK_SECRET"
API_TOKEN_ENV = settings.DESK_API_TOKEN_ENV
AGENTS_ENV = "SHOP_DESK_AGENTS"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5070
DEFAULT_AGENTS_FILE = settings.PROJECT_ROOT / "shop" / "agents.yml"
MIN_SECRET_LENGTH = settings.MIN_SECRET_LENGTH


class DeskConfigError(ValueError):
    """A configuration value is unusable; the message names the variable."""


@dataclass(frozen=True)
class DeskConfig:
    secret: bytes
    agents: Dict[str, str]  # username -> password hash
    api_token: Optional[str] = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timezone: str = "UTC"
    timezone_label: str = "UTC"
    session_hours: int = 12
    poll_seconds: float = 2.0
    secret_generated: bool = field(default=False, compare=False)


def _long_enough(name: str, value: str) -> str:
    if len(value) < MIN_SECRET_LENGTH:
        raise DeskConfigError(f"{name} is too short: use at least {MIN_SECRET_LENGTH} random characters")
    return value


def agents_path(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get(AGENTS_ENV) or DEFAULT_AGENTS_FILE)


def load_config(env: Mapping[str, str] = os.environ) -> DeskConfig:
    """The desk's settings; DeskConfigError or AgentsFileError say which value is wrong."""
    from bot.desk.agents import load_agents

    secret_text = env.get(SECRET_ENV, "")
    generated = not secret_text
    secret = secrets.token_bytes(32) if generated else _long_enough(SECRET_ENV, secret_text).encode()
    token = env.get(API_TOKEN_ENV, "").strip() or None
    if token is not None:
        _long_enough(API_TOKEN_ENV, token)
    timezone, label = "UTC", "UTC"
    try:
        from bot.profile.shop_profile import load_profile

        profile = load_profile()
        timezone, label = profile.timezone, profile.timezone_label
    except Exception as err:  # the desk still works; times are then shown in UTC
        log.warning("shop profile not loaded (%s); the desk shows times in UTC", err)
    return DeskConfig(
        secret=secret,
        agents=load_agents(agents_path(env)),
        api_token=token,
        port=port_from_env(env, PORT_ENV, DEFAULT_PORT, DeskConfigError),
        timezone=timezone,
        timezone_label=label,
        secret_generated=generated,
    )
