"""Choosing the local or production deployment by configuration, and what each needs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ops.deployment import (
    PRODUCTION_DEFAULTS,
    PRODUCTION_ENDPOINTS,
    ROOT,
    DeploymentConfigError,
    production_env,
    resolve,
)

REST = "rest-token-for-tests-0123"
PG = "postgresql://shop:secret@db.internal:5432/shop"


def _local() -> Path:
    return ROOT / "endpoints.yml"


def test_the_local_deployment_uses_endpoints_yml_and_needs_nothing():
    local = resolve({}, 5055, _local)
    assert (local.name, local.endpoints, local.env) == ("local", ROOT / "endpoints.yml", {})
    assert not local.production


def test_the_production_deployment_fills_in_every_variable_its_endpoints_file_reads():
    production = resolve({"SHOP_DEPLOYMENT": "production", "SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": REST}, 18055, _local)
    assert production.endpoints == PRODUCTION_ENDPOINTS
    settings = [line for line in PRODUCTION_ENDPOINTS.read_text().splitlines()
                if not line.lstrip().startswith("#")]
    used = set(re.findall(r"\$\{(\w+)\}", "\n".join(settings)))
    assert used and used <= set(production.env)
    assert production.env["SHOP_TRACKER_STORE_URL"] == PG  # the shop database, unless set
    assert production.env["SHOP_ACTIONS_URL"] == "http://localhost:18055/webhook"
    assert {k: production.env[k] for k in PRODUCTION_DEFAULTS} == PRODUCTION_DEFAULTS


def test_set_variables_win_over_the_defaults():
    env = production_env({"SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": REST, "SHOP_TRACKER_STORE_URL": PG + "_tracker",
                          "SHOP_REDIS_HOST": "redis.internal", "SHOP_ACTIONS_URL": "http://lb/webhook"},
                         5055)
    assert env["SHOP_TRACKER_STORE_URL"] == PG + "_tracker"
    assert env["SHOP_REDIS_HOST"] == "redis.internal"
    assert env["SHOP_ACTIONS_URL"] == "http://lb/webhook"


def test_rasa_reads_the_production_endpoints_file(monkeypatch):
    from rasa.core.utils import AvailableEndpoints

    for name, value in production_env({"SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": REST}, 5055).items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(PRODUCTION_ENDPOINTS))
    assert endpoints.tracker_store.type == "stores.sql_tracker_store.PrePingSQLTrackerStore"
    assert endpoints.tracker_store.url == PG
    assert endpoints.lock_store.type == "stores.atomic_redis_lock.AtomicRedisLockStore"
    assert endpoints.lock_store.url == "127.0.0.1" and endpoints.lock_store.kwargs["key_prefix"] == "shop"
    assert endpoints.event_broker.type == "stores.bounded_pika_broker.BoundedPikaEventBroker"
    assert endpoints.event_broker.kwargs["max_unpublished_events"] == 10000
    assert endpoints.event_broker.kwargs["queues"] == ["shop_events"]
    assert endpoints.action.url == "http://localhost:5055/webhook"


@pytest.mark.parametrize("env, named", [
    ({}, "SHOP_DATABASE_URL"),
    ({"SHOP_DATABASE_URL": "sqlite:///var/shop.db"}, "SQLite"),
    ({"SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": REST, "SHOP_TRACKER_STORE_URL": "sqlite:///t.db"}, "SHOP_TRACKER_STORE_URL"),
    ({"SHOP_DATABASE_URL": "not a url"}, "not a database URL"),
    ({"SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": REST, "SHOP_REDIS_PORT": "63a9"}, "SHOP_REDIS_PORT"),
    ({"SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": REST, "SHOP_REDIS_KEY_PREFIX": "my-bot"}, "SHOP_REDIS_KEY_PREFIX"),
    ({"SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": REST, "SHOP_RABBITMQ_QUEUE": ""}, "SHOP_RABBITMQ_QUEUE"),
])
def test_what_production_cannot_run_with_is_named(env, named):
    with pytest.raises(DeploymentConfigError, match=named):
        resolve({"SHOP_DEPLOYMENT": "production", **env}, 5055, _local)


def test_an_unknown_deployment_is_refused():
    with pytest.raises(DeploymentConfigError, match="local, production"):
        resolve({"SHOP_DEPLOYMENT": "staging"}, 5055, _local)


def test_shop_endpoints_names_any_endpoints_file(tmp_path):
    own = tmp_path / "endpoints.mine.yml"
    own.write_text('action_endpoint:\n  url: "http://localhost:5055/webhook"\n')
    assert resolve({"SHOP_ENDPOINTS": str(own)}, 5055, _local).endpoints == own
    with pytest.raises(DeploymentConfigError, match="not a file"):
        resolve({"SHOP_ENDPOINTS": str(tmp_path / "missing.yml")}, 5055, _local)


def test_the_production_deployment_needs_a_rest_token():
    """Without one, anyone can post to the REST channel under any sender id."""
    with pytest.raises(DeploymentConfigError, match="SHOP_REST_TOKEN"):
        production_env({"SHOP_DATABASE_URL": PG}, 5055)
    with pytest.raises(DeploymentConfigError, match="at least 16 characters"):
        production_env({"SHOP_DATABASE_URL": PG, "SHOP_REST_TOKEN": "short"}, 5055)
