"""The two deployments, chosen by configuration (SHOP_DEPLOYMENT): which endpoints file the
Rasa server gets and what it needs from the environment.

- `local` (the default): endpoints.yml, conversations in a SQLite file under var/, locks in
  memory; one machine, one Rasa server.
- `production`: endpoints.production.yml, conversations in PostgreSQL, locks in Redis, events
  on RabbitMQ, so any number of Rasa servers can serve any conversation.

SHOP_ENDPOINTS names another endpoints file and wins over both. (SHOP_PROFILE is taken: it is
the path of the shop profile, shop/profile.yml.)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Mapping

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.core.settings import DATABASE_URL_ENV, MIN_SECRET_LENGTH, REST_TOKEN_ENV
from bot.core.settings import PROJECT_ROOT as ROOT

DEPLOYMENT_ENV = "SHOP_DEPLOYMENT"
ENDPOINTS_ENV = "SHOP_ENDPOINTS"

DEPLOYMENTS = ("local", "production")
PRODUCTION_ENDPOINTS = ROOT / "endpoints.production.yml"

#: What endpoints.production.yml reads, with the value used when it is not set. Rasa's
#: ${VAR} substitution has no defaults of its own, so the launcher fills them in.
#: SHOP_ACTIONS_URL and SHOP_TRACKER_STORE_URL are derived (see production_env).
PRODUCTION_DEFAULTS: Dict[str, str] = {
    "SHOP_REDIS_HOST": "127.0.0.1",
    "SHOP_REDIS_PORT": "6379",
    "SHOP_REDIS_DB": "1",
    "SHOP_REDIS_PASSWORD": "",
    "SHOP_REDIS_KEY_PREFIX": "shop",
    "SHOP_RABBITMQ_HOST": "127.0.0.1",
    "SHOP_RABBITMQ_PORT": "5672",
    "SHOP_RABBITMQ_USER": "guest",
    "SHOP_RABBITMQ_PASSWORD": "guest",
    "SHOP_RABBITMQ_QUEUE": "shop_events",
    "SHOP_RABBITMQ_EXCHANGE": "shop_events",
}


class DeploymentConfigError(ValueError):
    """The chosen deployment cannot run with this environment; the message says what to set."""


@dataclass(frozen=True)
class Deployment:
    name: str
    endpoints: Path
    env: Dict[str, str]  # variables the servers need on top of the caller's environment

    @property
    def production(self) -> bool:
        return self.name == "production"


def deployment_name(env: Mapping[str, str] = os.environ) -> str:
    name = env.get(DEPLOYMENT_ENV, "").strip() or "local"
    if name not in DEPLOYMENTS:
        raise DeploymentConfigError(
            f"{DEPLOYMENT_ENV}={name!r} is not a deployment; use one of: {', '.join(DEPLOYMENTS)}")
    return name


def _is_sqlite(url: str) -> bool:
    return url.strip().lower().startswith("sqlite")


def _check_database_url(variable: str, url: str) -> None:
    try:
        make_url(url)
    except ArgumentError:
        raise DeploymentConfigError(f"{variable} is not a database URL: {url!r}") from None
    if _is_sqlite(url):
        # A SQLite file belongs to one machine: a second Rasa server could not share it.
        raise DeploymentConfigError(
            f"the production deployment needs a database server, but {variable} is SQLite; "
            f"set it to e.g. postgresql://user:password@host:5432/shop")


def production_env(env: Mapping[str, str], actions_port: int) -> Dict[str, str]:
    """Every variable endpoints.production.yml reads, from `env` or the defaults.

    The shop database must be a server (PostgreSQL); the tracker store defaults to it.
    """
    shop_db = env.get(DATABASE_URL_ENV, "").strip()
    if not shop_db:
        raise DeploymentConfigError(
            f"the production deployment needs {DATABASE_URL_ENV}, e.g. "
            f"postgresql://user:password@host:5432/shop")
    _check_database_url(DATABASE_URL_ENV, shop_db)
    tracker_db = env.get("SHOP_TRACKER_STORE_URL", "").strip() or shop_db
    _check_database_url("SHOP_TRACKER_STORE_URL", tracker_db)

    values = {name: env.get(name, default) for name, default in PRODUCTION_DEFAULTS.items()}
    for name in ("SHOP_REDIS_PORT", "SHOP_REDIS_DB", "SHOP_RABBITMQ_PORT"):
        if not values[name].strip().isdigit():
            raise DeploymentConfigError(f"{name} must be a number, not {values[name]!r}")
    prefix = values["SHOP_REDIS_KEY_PREFIX"]
    if prefix and not prefix.isalnum():
        # Rasa would ignore it with a warning and fall back to the shared default prefix.
        raise DeploymentConfigError(f"SHOP_REDIS_KEY_PREFIX must be letters and digits only, not {prefix!r}")
    for name in ("SHOP_RABBITMQ_QUEUE", "SHOP_RABBITMQ_EXCHANGE", "SHOP_REDIS_HOST", "SHOP_RABBITMQ_HOST"):
        if not values[name].strip():
            raise DeploymentConfigError(f"{name} must not be empty")
    rest_token = env.get(REST_TOKEN_ENV, "").strip()
    if len(rest_token) < MIN_SECRET_LENGTH:
        # Without it anyone could post as any sender id over REST.
        raise DeploymentConfigError(
            f"the production deployment needs {REST_TOKEN_ENV} (at least {MIN_SECRET_LENGTH} characters): "
            "the REST channel then answers only callers that send it as a bearer token")
    return {
        **values,
        REST_TOKEN_ENV: rest_token,
        DATABASE_URL_ENV: shop_db,
        "SHOP_TRACKER_STORE_URL": tracker_db,
        "SHOP_ACTIONS_URL": env.get("SHOP_ACTIONS_URL", "").strip()
        or f"http://localhost:{actions_port}/webhook",
    }


def resolve(env: Mapping[str, str], actions_port: int,
            local_endpoints: Callable[[], Path]) -> Deployment:
    """The deployment chosen by SHOP_DEPLOYMENT (and SHOP_ENDPOINTS), with what its servers need.

    `local_endpoints` makes the local deployment's file (it may write a copy for another
    action-server port), called only when that file is the one used.
    """
    name = deployment_name(env)
    extra = production_env(env, actions_port) if name == "production" else {}
    override = env.get(ENDPOINTS_ENV, "").strip()
    if override:
        endpoints = Path(override)
        if not endpoints.is_absolute():
            endpoints = ROOT / endpoints
        if not endpoints.is_file():
            raise DeploymentConfigError(f"{ENDPOINTS_ENV} names {override!r}, which is not a file")
    elif name == "production":
        endpoints = PRODUCTION_ENDPOINTS
    else:
        endpoints = local_endpoints()
    return Deployment(name, endpoints, extra)
