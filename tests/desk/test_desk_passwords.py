"""Agent passwords, the agents file and the desk's configuration."""
from __future__ import annotations

from argparse import Namespace

import pytest

from bot.core.settings import PROJECT_ROOT
from bot.desk import __main__ as desk_cli
from bot.desk.agents import AgentsFileError, load_agents, remove_agent, set_agent_password, write_agents
from bot.desk.config import DeskConfigError, load_config
from bot.desk.passwords import PasswordHashError, hash_password, parse_hash, verify_password


def test_hash_round_trip_and_wrong_password():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert not verify_password("", stored)


def test_same_password_gets_a_new_salt_each_time():
    assert hash_password("same password") != hash_password("same password")


@pytest.mark.parametrize("stored", [
    "", "plain-text-password", "pbkdf2$1$2$3$4$5", "scrypt$16384$8$1$!!!$abc",
    "scrypt$1000$8$1$c2FsdHNhbHRzYWx0$" + "A" * 44,  # N not a power of two
    "scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$" + "A" * 44,  # N far too large
])
def test_malformed_hashes_are_refused_not_crashing(stored):
    with pytest.raises(PasswordHashError):
        parse_hash(stored)
    assert verify_password("anything", stored) is False


def test_tampered_key_does_not_verify():
    stored = hash_password("pw-12345678")
    n, r, p, salt, key = stored.split("$")[1:]
    other = hash_password("other-pass").split("$")[-1]
    assert not verify_password("pw-12345678", "$".join(["scrypt", n, r, p, salt, other]))


def test_shipped_agents_file_has_the_documented_demo_login():
    agents = load_agents(PROJECT_ROOT / "shop" / "agents.yml")
    assert verify_password("demo-agent", agents["demo"])


@pytest.mark.parametrize("text, message", [
    ("agents: [\n  - x\n bad", "not valid YAML at line"),
    ("- alice\n", "expected a mapping 'agents:'"),
    ("agents: {}\n", "'agents' is empty"),
    ("agents:\n  Alice Smith:\n    password_hash: x\n", "agent name 'Alice Smith' is not valid"),
    ("agents:\n  alice:\n    password: hunter2\n", "agent 'alice' has no 'password_hash'"),
    ("agents:\n  alice:\n    password_hash: hunter2\n", "agent 'alice': password_hash is not a hash"),
])
def test_agents_file_errors_name_the_file_and_entry(tmp_path, text, message):
    path = tmp_path / "agents.yml"
    path.write_text(text)
    with pytest.raises(AgentsFileError) as err:
        load_agents(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_missing_agents_file_says_how_to_create_it(tmp_path):
    with pytest.raises(AgentsFileError, match="not found.*add-agent"):
        load_agents(tmp_path / "nope.yml")


def test_set_password_keeps_other_agents_and_remove_refuses_the_last(tmp_path):
    path = tmp_path / "agents.yml"
    write_agents(path, {"demo": hash_password("demo-agent")})
    assert set_agent_password(path, "carol", hash_password("carol-pass-1")) is True
    assert set_agent_password(path, "carol", hash_password("carol-pass-2")) is False
    agents = load_agents(path)
    assert set(agents) == {"demo", "carol"} and verify_password("carol-pass-2", agents["carol"])
    assert path.stat().st_mode & 0o077 == 0  # only the owner reads the hashes
    remove_agent(path, "demo")
    with pytest.raises(AgentsFileError, match="only agent"):
        remove_agent(path, "carol")
    assert set(load_agents(path)) == {"carol"}


def test_add_agent_command_asks_twice_and_writes_a_hash(tmp_path, monkeypatch, capsys):
    path = tmp_path / "agents.yml"
    monkeypatch.setenv("SHOP_DESK_AGENTS", str(path))
    answers = iter(["s3cret-password", "s3cret-password"])
    assert desk_cli.cmd_add_agent(Namespace(name="dave"), ask=lambda _prompt: next(answers)) == 0
    assert "Added agent dave" in capsys.readouterr().out
    assert verify_password("s3cret-password", load_agents(path)["dave"])
    assert "s3cret-password" not in path.read_text()


@pytest.mark.parametrize("name, answers, message", [
    ("dave", ["short", "short"], "at least 8 characters"),
    ("dave", ["long-enough-1", "long-enough-2"], "passwords differ"),
    ("Dave!", ["long-enough-1", "long-enough-1"], "is not valid"),
])
def test_add_agent_command_refusals_change_nothing(tmp_path, monkeypatch, capsys, name, answers, message):
    path = tmp_path / "agents.yml"
    monkeypatch.setenv("SHOP_DESK_AGENTS", str(path))
    replies = iter(answers)
    assert desk_cli.cmd_add_agent(Namespace(name=name), ask=lambda _prompt: next(replies)) == 2
    assert message in capsys.readouterr().err
    assert not path.exists()


def _env(tmp_path, **extra):
    path = tmp_path / "agents.yml"
    write_agents(path, {"demo": hash_password("demo-agent")})
    return {"SHOP_DESK_AGENTS": str(path), **extra}


def test_config_defaults_and_environment(tmp_path):
    config = load_config(_env(tmp_path))
    assert (config.host, config.port, config.api_token) == ("127.0.0.1", 5070, None)
    assert config.secret_generated and len(config.secret) == 32
    config = load_config(_env(tmp_path, SHOP_DESK_PORT="5099", SHOP_DESK_SECRET="x" * 20,
                              SHOP_DESK_API_TOKEN="t" * 24))
    assert (config.port, config.secret, config.api_token) == (5099, b"x" * 20, "t" * 24)
    assert not config.secret_generated and set(config.agents) == {"demo"}


@pytest.mark.parametrize("extra, message", [
    ({"SHOP_DESK_PORT": "http"}, "SHOP_DESK_PORT='http' is not a port"),
    ({"SHOP_DESK_PORT": "70000"}, "SHOP_DESK_PORT='70000' is not a port"),
    ({"SHOP_DESK_SECRET": "short"}, "SHOP_DESK_SECRET is too short"),
    ({"SHOP_DESK_API_TOKEN": "abc"}, "SHOP_DESK_API_TOKEN is too short"),
])
def test_config_errors_name_the_variable(tmp_path, extra, message):
    with pytest.raises(DeskConfigError, match=message):
        load_config(_env(tmp_path, **extra))


def test_the_desk_refuses_the_demo_password_outside_the_demo(tmp_path):
    """Before, it only warned, and anyone could log in as demo / demo-agent."""
    from bot.desk.__main__ import demo_password_problem

    config = load_config(_env(tmp_path))
    problem = demo_password_problem(config, {"SHOP_DESK_AGENTS": str(tmp_path / "agents.yml")})
    assert problem and "published demo password" in problem and "SHOP_DEMO=1" in problem
    assert demo_password_problem(config, {"SHOP_DEMO": "1"}) is None  # make run's local demo
    write_agents(tmp_path / "agents.yml", {"demo": hash_password("a-new-password")})
    assert demo_password_problem(load_config(_env_keep(tmp_path)), {}) is None


def _env_keep(tmp_path):
    return {"SHOP_DESK_AGENTS": str(tmp_path / "agents.yml")}
