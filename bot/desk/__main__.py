"""`python -m bot.desk` starts the agent desk; `python -m bot.desk add-agent NAME` sets a password."""
from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from typing import Callable, List, Mapping, Optional

from bot.core.settings import DEMO_ENV, PUSH_TOKEN_ENV
from bot.desk.agents import (
    MIN_PASSWORD_LENGTH,
    AgentsFileError,
    check_username,
    remove_agent,
    set_agent_password,
)
from bot.desk.config import API_TOKEN_ENV, SECRET_ENV, DeskConfig, DeskConfigError, agents_path, load_config
from bot.desk.passwords import hash_password, verify_password

log = logging.getLogger("bot.desk")
DEMO_AGENT, DEMO_PASSWORD = "demo", "demo-agent"


def demo_password_problem(config: DeskConfig, env: Mapping[str, str]) -> Optional[str]:
    """Why the desk must not start: the shipped demo agent still has the published demo password
    and this is not the local demo (`make run` sets SHOP_DEMO=1); None when it may start."""
    demo_hash = config.agents.get(DEMO_AGENT)
    if not demo_hash or not verify_password(DEMO_PASSWORD, demo_hash):
        return None
    if env.get(DEMO_ENV, "").strip() == "1":
        log.warning("the demo agent %r has the demo password: fine for this local demo only "
                    "(docs/agent-desk.md)", DEMO_AGENT)
        return None
    return (f"the agent {DEMO_AGENT!r} in {agents_path(env)} still has the published demo password. "
            f"Remove it (python -m bot.desk remove-agent {DEMO_AGENT}, after adding your own agents "
            f"with add-agent) or give it a new password (add-agent {DEMO_AGENT}); {DEMO_ENV}=1 "
            "allows it for a local demo only.")


def cmd_run(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.desk.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config()
    except (DeskConfigError, AgentsFileError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if config.secret_generated:
        log.warning("%s is not set: using a random secret, so agents log in again after a restart",
                    SECRET_ENV)
    if not config.api_token:
        log.warning("%s is not set: the JSON API accepts only logged-in agents", API_TOKEN_ENV)
    problem = demo_password_problem(config, os.environ)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from bot.desk.background import add_background
    from bot.desk.reply_push import channel_push_hook, rasa_urls

    push_token = os.environ.get(PUSH_TOKEN_ENV, "").strip() or None
    urls = rasa_urls()
    log.info("messages from the team are pushed through %s", ", ".join(urls))
    app = create_app(config, on_agent_message=channel_push_hook(urls, push_token))
    add_background(app)
    print(f"Agent desk on http://{config.host}:{config.port}/", flush=True)
    web.run_app(app, host=config.host, port=config.port, print=None)
    return 0


def cmd_add_agent(args: argparse.Namespace, ask: Callable[[str], str] = getpass.getpass) -> int:
    path = agents_path()
    try:
        name = check_username(args.name)
    except AgentsFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    password = ask(f"Password for {name}: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        print(f"error: the password must have at least {MIN_PASSWORD_LENGTH} characters", file=sys.stderr)
        return 2
    if ask("Repeat the password: ") != password:
        print("error: the passwords differ; nothing was changed", file=sys.stderr)
        return 2
    try:
        is_new = set_agent_password(path, name, hash_password(password))
    except (AgentsFileError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    done = "Added" if is_new else "Changed the password of"
    print(f"{done} agent {name} in {path}. Restart the desk to apply.")
    return 0


def cmd_remove_agent(args: argparse.Namespace) -> int:
    path = agents_path()
    try:
        remove_agent(path, args.name)
    except (AgentsFileError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"Removed agent {args.name} from {path}. Restart the desk to apply.")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.desk", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the desk (the default)").set_defaults(func=cmd_run)
    add = sub.add_parser("add-agent", help="add an agent or change their password (asked twice)")
    add.add_argument("name", help="lowercase letters, digits, '.', '-' or '_'")
    add.set_defaults(func=cmd_add_agent)
    remove = sub.add_parser("remove-agent", help="remove an agent (not the last one)")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_remove_agent)
    args = parser.parse_args(argv)
    return getattr(args, "func", cmd_run)(args)


if __name__ == "__main__":
    sys.exit(main())
