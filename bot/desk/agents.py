"""The agents file: who may log in to the desk, with their password hashes (never passwords)."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Dict, Mapping

import yaml

from bot.desk.passwords import PasswordHashError, parse_hash

#: Usernames: lowercase letters, digits, dot, dash, underscore; 1 to 64 characters.
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MIN_PASSWORD_LENGTH = 8

HEADER = """\
# Agents who can log in to the agent desk (docs/agent-desk.md).
# Each entry holds a salted scrypt hash, never the password itself. Add an agent or change a
# password with:   .venv/bin/python -m bot.desk add-agent NAME
# The shipped "demo" agent (password "demo-agent") is for trying the desk out: a real shop
# must replace this file (or point SHOP_DESK_AGENTS elsewhere) and remove "demo".
"""


class AgentsFileError(ValueError):
    """The agents file is missing or malformed; the message names the file and the entry."""


def check_username(name: str) -> str:
    """The username if valid; AgentsFileError otherwise."""
    if not isinstance(name, str) or not USERNAME_RE.match(name):
        raise AgentsFileError(
            f"agent name {name!r} is not valid: use 1 to 64 lowercase letters, digits, '.', '-' or '_'"
        )
    return name


def load_agents(path: Path) -> Dict[str, str]:
    """{username: password hash} from the file; AgentsFileError names what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgentsFileError(
            f"{path}: agents file not found (create it with `python -m bot.desk add-agent NAME`)"
        ) from None
    except OSError as err:
        raise AgentsFileError(f"{path}: cannot be read ({err.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise AgentsFileError(f"{path}: not valid YAML{where}") from None
    if not isinstance(data, dict) or not isinstance(data.get("agents"), dict):
        raise AgentsFileError(f"{path}: expected a mapping 'agents:' of usernames to entries")
    if not data["agents"]:
        raise AgentsFileError(f"{path}: 'agents' is empty, so nobody could log in")
    agents: Dict[str, str] = {}
    for name, entry in data["agents"].items():
        try:
            check_username(name)
        except AgentsFileError as err:
            raise AgentsFileError(f"{path}: {err}") from None
        if not isinstance(entry, dict) or "password_hash" not in entry:
            raise AgentsFileError(f"{path}: agent {name!r} has no 'password_hash'")
        try:
            parse_hash(entry["password_hash"])
        except PasswordHashError as err:
            raise AgentsFileError(f"{path}: agent {name!r}: password_hash is {err}") from None
        agents[name] = entry["password_hash"]
    return agents


def write_agents(path: Path, agents: Mapping[str, str]) -> None:
    """Write the file atomically (a crash leaves the old file whole), readable only by its owner."""
    path = Path(path)
    body = {"agents": {name: {"password_hash": agents[name]} for name in sorted(agents)}}
    text = HEADER + "\n" + yaml.safe_dump(body, sort_keys=False, width=200)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".agents-", suffix=".yml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_agent_password(path: Path, name: str, password_hash: str) -> bool:
    """Add the agent or replace their hash; True when the agent is new. Other entries are kept."""
    check_username(name)
    path = Path(path)
    agents = load_agents(path) if path.exists() else {}
    is_new = name not in agents
    agents[name] = password_hash
    write_agents(path, agents)
    return is_new


def remove_agent(path: Path, name: str) -> None:
    """Remove an agent; refuses to remove the last one, which would lock everybody out."""
    path = Path(path)
    agents = load_agents(path)
    if name not in agents:
        raise AgentsFileError(f"{path}: there is no agent {name!r}")
    if len(agents) == 1:
        raise AgentsFileError(f"{path}: {name!r} is the only agent; add another before removing it")
    del agents[name]
    write_agents(path, agents)
