"""A production service that is down is named in one sentence, at start, without a trace."""
from __future__ import annotations

import pytest

from ops import run, service_checks
from ops.ports import free_port


def test_a_database_that_is_down_is_named_without_its_password():
    problem = service_checks.check_database(
        "the shop database", "SHOP_DATABASE_URL",
        f"postgresql://shop:secret@127.0.0.1:{free_port()}/shop")
    assert problem.startswith("the shop database is not reachable at postgresql://shop:***@127.0.0.1")
    assert "SHOP_DATABASE_URL" in problem and "secret" not in problem


def test_redis_that_is_down_is_named_with_its_variables():
    port = free_port()
    problem = service_checks.check_redis("127.0.0.1", port, 1, "")
    assert problem.startswith(f"Redis (the lock store) is not reachable at 127.0.0.1:{port}")
    assert "SHOP_REDIS_HOST" in problem


def test_rabbitmq_that_is_down_is_named_with_its_variables():
    port = free_port()
    problem = service_checks.check_rabbitmq("127.0.0.1", port, "guest", "guest")
    assert problem.startswith(f"RabbitMQ (the event broker) is not reachable at 127.0.0.1:{port}")
    assert "SHOP_RABBITMQ_HOST" in problem


def test_make_run_in_production_stops_before_starting_anything_when_a_service_is_down(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv("SHOP_DEPLOYMENT", "production")
    monkeypatch.setenv("SHOP_DATABASE_URL", f"postgresql://127.0.0.1:{free_port()}/shop")
    monkeypatch.setenv("SHOP_REST_TOKEN", "rest-token-for-tests-0123")
    monkeypatch.setenv("SHOP_REDIS_PORT", str(free_port()))
    monkeypatch.setenv("SHOP_RABBITMQ_PORT", str(free_port()))
    started = []
    monkeypatch.setattr(run, "ensure_model", lambda: started.append("model"))
    monkeypatch.setattr(run.Stack, "start", lambda self, timeout=240: started.append("stack"))
    assert run.main() == 1
    err = capsys.readouterr().err
    assert started == []
    assert [line.split(" is not")[0] for line in err.splitlines()] == [
        "error: the shop database", "error: Redis (the lock store)", "error: RabbitMQ (the event broker)"]
    assert "Traceback" not in err


def test_make_run_refuses_production_with_the_sqlite_shop(monkeypatch, capsys):
    monkeypatch.setenv("SHOP_DEPLOYMENT", "production")
    monkeypatch.setenv("SHOP_DATABASE_URL", "sqlite:///var/shop.db")
    assert run.main() == 2
    assert "needs a database server" in capsys.readouterr().err


def test_the_bot_commands_name_a_shop_database_that_is_down(monkeypatch, capsys):
    from bot.__main__ import main

    monkeypatch.setenv("SHOP_DATABASE_URL", f"postgresql://shop:pw@127.0.0.1:{free_port()}/shop")
    assert main(["ensure-demo"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the shop database is not reachable at postgresql://shop:***@")
    assert "Traceback" not in err and "pw@" not in err
