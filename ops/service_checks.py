"""Can this machine reach the production deployment's services? One short sentence per problem.

`make run` asks before it starts anything, because Rasa itself reacts badly to a missing
service: it retries PostgreSQL for ever, gives up on RabbitMQ with a stack trace after its
retries, and only notices a missing Redis at the first customer message. On a machine that
runs `rasa run` by hand: `python -m ops.service_checks` (exit status 1 when something is
missing).
"""
from __future__ import annotations

import asyncio
import os
import sys
from typing import Callable, Dict, List, Mapping, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

#: Seconds to wait for each service: a service this slow to answer is as good as down.
TIMEOUT_SECONDS = 5


def _first_line(err: BaseException) -> str:
    message = str(err).strip() or type(err).__name__
    return message.splitlines()[0]


def check_database(what: str, variable: str, url: str) -> Optional[str]:
    """None if `url` answers a query, else what is wrong (the password is never shown)."""
    shown = make_url(url).render_as_string(hide_password=True)
    connect_args = {"connect_timeout": TIMEOUT_SECONDS} if url.startswith("postgresql") else {}
    engine = create_engine(url, future=True, connect_args=connect_args)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as err:  # no server, no role, no database, bad password: all named below
        return f"{what} is not reachable at {shown} ({variable}): {_first_line(err)}"
    finally:
        engine.dispose()
    return None


def check_redis(host: str, port: int, db: int, password: str) -> Optional[str]:
    import redis

    client = redis.Redis(host=host, port=port, db=db, password=password or None,
                         socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
    try:
        client.ping()
    except redis.RedisError as err:
        return (f"Redis (the lock store) is not reachable at {host}:{port} db {db} "
                f"(SHOP_REDIS_HOST, SHOP_REDIS_PORT, SHOP_REDIS_DB): {_first_line(err)}")
    finally:
        client.close()
    return None


def check_rabbitmq(host: str, port: int, user: str, password: str) -> Optional[str]:
    import aio_pika

    async def connect() -> None:
        connection = await aio_pika.connect(host=host, port=port, login=user, password=password,
                                            timeout=TIMEOUT_SECONDS)
        await connection.close()

    try:
        asyncio.run(connect())
    except Exception as err:  # refused, timed out, wrong login: aio-pika has no common base
        return (f"RabbitMQ (the event broker) is not reachable at {host}:{port} as {user!r} "
                f"(SHOP_RABBITMQ_HOST, SHOP_RABBITMQ_PORT, SHOP_RABBITMQ_USER): {_first_line(err)}")
    return None


def production_problems(env: Mapping[str, str]) -> List[str]:
    """What keeps the production deployment from running with `env` (filled by ops.deployment)."""
    checks: List[Callable[[], Optional[str]]] = [
        lambda: check_database("the shop database", "SHOP_DATABASE_URL", env["SHOP_DATABASE_URL"]),
        lambda: check_redis(env["SHOP_REDIS_HOST"], int(env["SHOP_REDIS_PORT"]),
                            int(env["SHOP_REDIS_DB"]), env["SHOP_REDIS_PASSWORD"]),
        lambda: check_rabbitmq(env["SHOP_RABBITMQ_HOST"], int(env["SHOP_RABBITMQ_PORT"]),
                               env["SHOP_RABBITMQ_USER"], env["SHOP_RABBITMQ_PASSWORD"]),
    ]
    if env["SHOP_TRACKER_STORE_URL"] != env["SHOP_DATABASE_URL"]:
        checks.insert(1, lambda: check_database(
            "the tracker store", "SHOP_TRACKER_STORE_URL", env["SHOP_TRACKER_STORE_URL"]))
    return [problem for problem in (check() for check in checks) if problem]


def main(environ: Mapping[str, str] = os.environ) -> int:
    from ops.deployment import DeploymentConfigError, production_env

    try:
        env: Dict[str, str] = production_env(environ, int(environ.get("ACTIONS_PORT", 5055)))
    except DeploymentConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    problems = production_problems(env)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if not problems:
        print("PostgreSQL, Redis and RabbitMQ are reachable.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
