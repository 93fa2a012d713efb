"""The bot as benchmarks run it: ops/stack.py's Stack on free ports, with its own shop.

Like `make run`: the Rasa server with the SQL tracker store (a SQLite file of its own), the
action server and the agent desk, reading a demo shop generated for this run (or a database
given by URL), so a benchmark never touches var/shop.db or var/tracker.db.
"""
from __future__ import annotations

import json
import secrets
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Optional, Set

from bot.core.settings import DEMO_ENV
from ops.deployment import PRODUCTION_DEFAULTS
from ops.ports import free_port
from ops.service_checks import check_redis
from ops.stack import Stack

#: Ports for anything started by hand on this machine (shared by several developers).
PORT_RANGE = (19000, 19999)
#: The local Redis of the production setup (its defaults), for the lock store of several workers.
REDIS_HOST, REDIS_PORT = PRODUCTION_DEFAULTS["SHOP_REDIS_HOST"], int(PRODUCTION_DEFAULTS["SHOP_REDIS_PORT"])
REDIS_DB = 0
#: Server logs of the last benchmark run (the shop and tracker files are temporary).
LOG_DIR = Path(__file__).resolve().parent.parent / "var" / "bench" / "logs"


def demo_shop(path: Path, n_orders: int = 3000) -> str:
    """A fresh demo shop (reference orders included) as of now, in a SQLite file."""
    from bot.core import clock
    from bot.core.db import make_engine
    from bot.shopdata.demo import generate_demo_shop

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    generate_demo_shop(engine, seed=7, now=clock.now().replace(second=0, microsecond=0),
                       n_orders=n_orders)
    engine.dispose()
    return url


def endpoints_file(workdir: Path, actions_port: int, redis_lock_prefix: Optional[str] = None) -> Path:
    """endpoints.yml of `make run` (SQLite tracker store), pointed at this run's ports and files.

    With `redis_lock_prefix`, conversations are locked in the local Redis (the production
    lock store) instead of in memory: what several Sanic workers need to share conversations.
    """
    target = workdir / "endpoints.yml"
    text = (f'action_endpoint:\n  url: "http://localhost:{actions_port}/webhook"\n'
            "tracker_store:\n  type: stores.sql_tracker_store.PrePingSQLTrackerStore\n"
            f"  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n")
    if redis_lock_prefix:
        text += ("lock_store:\n  type: stores.atomic_redis_lock.AtomicRedisLockStore\n"
                 f"  url: {REDIS_HOST}\n  port: {REDIS_PORT}\n  db: {REDIS_DB}\n  key_prefix: {redis_lock_prefix}\n")
    target.write_text(text)
    return target


def require_redis() -> None:
    """Several workers need Redis for their locks; say so plainly when it is not there."""
    problem = check_redis(REDIS_HOST, REDIS_PORT, REDIS_DB, "")
    if problem:
        raise SystemExit(f"--workers above 1 needs Redis for the conversation locks. {problem}; "
                         "start Redis or use one worker.")


def first_answer(stack: Stack, timeout: float = 60) -> float:
    """Send one greeting until it is answered; the monotonic time of the answer."""
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    body = json.dumps({"sender": "bench-first-answer", "message": "hi"}).encode()
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                if json.load(response):
                    return time.monotonic()
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


@dataclass
class RunningBot:
    stack: Stack
    database_url: str
    seconds_to_first_answer: float

    @property
    def webhook_url(self) -> str:
        return f"{self.stack.rasa_url}/webhooks/rest/webhook"

    def pids(self) -> Dict[str, int]:
        """The Rasa server and the action server (the desk is not on the message path)."""
        return {s.name: s.process.pid for s in self.stack.servers
                if s.name in ("Rasa server", "action server") and s.process is not None}


@contextmanager
def running_bot(model: Path, database_url: Optional[str] = None, env: Optional[Dict[str, str]] = None,
                workdir: Optional[Path] = None, workers: int = 1) -> Iterator[RunningBot]:
    """Start the servers (timed from the first process start to the first answer); stop them after.

    `workers` > 1 runs that many Sanic workers in the Rasa server (SANIC_WORKERS), sharing a
    Redis lock store and the tracker store.
    """
    if workers > 1:
        require_redis()
    with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp:
        work = workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        database_url = database_url or demo_shop(work / "shop.db")
        ports: Set[int] = set()
        for _ in range(3):
            ports.add(free_port(PORT_RANGE, taken=ports))
        actions_port, rasa_port, desk_port = sorted(ports)
        stack = Stack(
            model=model, rasa_port=rasa_port, actions_port=actions_port,
            desk_port=desk_port,
            endpoints=endpoints_file(work, actions_port,
                                     f"bench{secrets.token_hex(4)}" if workers > 1 else None),
            log_dir=LOG_DIR,
            # SHOP_DEMO: a local measurement, so the desk takes the shipped demo agent (it refuses
            # to start with its published password otherwise).
            env={"SHOP_DATABASE_URL": database_url, "SHOP_DESK_API_TOKEN": secrets.token_urlsafe(24),
                 DEMO_ENV: "1",
                 **({"SANIC_WORKERS": str(workers)} if workers > 1 else {}), **(env or {})},
        )
        started = time.monotonic()
        # Loading the model builds TensorFlow graphs: minutes when the shared machine is busy.
        stack.start(timeout=900)
        try:
            answered = first_answer(stack)
            yield RunningBot(stack, database_url, round(answered - started, 1))
        finally:
            stack.stop()
