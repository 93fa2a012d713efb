"""Start and stop the action server, the agent desk, the storefront (the chat widget's demo
page) and the Rasa server as child processes.

Used by `make run` (ops/run.py) and by the integration tests, so both run the servers the same
way. Server output goes to log files; the console stays readable.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from bot.core.settings import PROJECT_ROOT as ROOT
from bot.core.settings import PUSH_TOKEN_ENV, RASA_URLS_ENV
from ops.channel_credentials import Credentials, write_effective_credentials

RASA = str(Path(sys.executable).parent / "rasa")

#: The token of the Rasa server's HTTP API (random per start unless set).
API_TOKEN_ENV = "SHOP_RASA_API_TOKEN"

QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}


@dataclass
class Server:
    name: str
    args: List[str]
    health_url: str
    log_path: Path
    env: Dict[str, str] = field(default_factory=dict)
    process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **QUIET_ENV, **self.env},
            start_new_session=True,  # Ctrl-C in the terminal is handled by us, once
        )
        log.close()

    def is_up(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wait_until_up(servers: Iterable[Server], timeout: float, log_dir: Path) -> None:
    """Wait until every server answers its health check; RuntimeError names the ones that
    stopped or did not answer in time (their logs say why)."""
    deadline = time.monotonic() + timeout
    waiting = list(servers)
    while waiting:
        for server in list(waiting):
            if server.exited():
                raise RuntimeError(f"the {server.name} stopped while starting; see {server.log_path}")
            if server.is_up():
                waiting.remove(server)
        if waiting and time.monotonic() > deadline:
            names = ", ".join(s.name for s in waiting)
            raise RuntimeError(f"timed out waiting for: {names}; see the logs in {log_dir}")
        time.sleep(0.5)


@dataclass
class Stack:
    model: Path
    rasa_port: int = 5005
    # More Rasa servers next to the first, sharing its stores (only useful in production).
    more_rasa_ports: Tuple[int, ...] = ()
    actions_port: int = 5055
    desk_port: int = 5070
    storefront_port: int = 5080
    endpoints: Path = ROOT / "endpoints.yml"
    credentials: Path = ROOT / "credentials.yml"  # the base file: REST and socket.io
    # What the Rasa server reads: the base file plus each messaging channel set in the env.
    effective_credentials: Path = ROOT / "var" / "credentials.yml"
    log_dir: Path = ROOT / "var" / "logs"
    env: Dict[str, str] = field(default_factory=dict)
    servers: List[Server] = field(default_factory=list)
    channels: Optional[Credentials] = None  # what the last start enabled, and the warnings
    rasa_servers: List[Server] = field(default_factory=list)  # the first on rasa_port
    # Rasa's HTTP API can read any conversation and set any slot (even `verified_orders`), so it
    # only answers requests that carry this token (`?token=...`).
    api_token: str = field(
        default_factory=lambda: os.environ.get(API_TOKEN_ENV) or secrets.token_urlsafe(24))
    # Between the desk and the socket.io channel only (agent replies pushed to the widget).
    push_token: str = field(
        default_factory=lambda: os.environ.get(PUSH_TOKEN_ENV) or secrets.token_urlsafe(24))

    @property
    def rasa_url(self) -> str:
        return f"http://localhost:{self.rasa_port}"

    @property
    def rasa_urls(self) -> List[str]:
        """Every Rasa server's URL, in the order of rasa_servers."""
        return [f"http://localhost:{port}" for port in (self.rasa_port, *self.more_rasa_ports)]

    @property
    def desk_url(self) -> str:
        return f"http://localhost:{self.desk_port}"

    @property
    def storefront_url(self) -> str:
        return f"http://localhost:{self.storefront_port}"

    def write_credentials(self) -> Credentials:
        """The effective credentials file, for the environment the Rasa server will have.

        A channel set only partly is left off with a warning on stderr, not a crash."""
        self.channels = write_effective_credentials(
            {**os.environ, **self.env}, self.credentials, self.effective_credentials)
        for warning in self.channels.warnings:
            print(f"warning: {warning}", file=sys.stderr, flush=True)
        return self.channels

    def rasa_server(self, port: int) -> Server:
        """A Rasa server of this stack on `port` (not started). With a shared tracker store and
        lock store (the production profile) several of them can serve the same conversations."""
        log_name = "rasa.log" if port == self.rasa_port else f"rasa-{port}.log"
        return Server(
            "Rasa server" if port == self.rasa_port else f"Rasa server on port {port}",
            [
                # `rasa run` through ops/rasa_server.py: the same server, minus a per-call
                # re-validation of a constant JSON schema (see that module).
                sys.executable, "-m", "ops.rasa_server", "run", "--model", str(self.model),
                "--port", str(port), "--endpoints", str(self.endpoints),
                "--credentials", str(self.effective_credentials),
                # one argument: a generated token may start with "-", which argparse would
                # take for an option ("expected one argument", the server never starts)
                "--enable-api", f"--auth-token={self.api_token}", "--cors", "*",
            ],
            # /status is behind the API token too (and answers once the model is loaded)
            f"http://localhost:{port}/status?token={urllib.parse.quote(self.api_token)}",
            self.log_dir / log_name,
            self.env,
        )

    def start(self, timeout: float = 600) -> None:
        """Start the servers and wait until each answers its health check (a Rasa server loads
        its model in under a minute on an idle machine, several on a busy one)."""
        self.write_credentials()
        self.env = {PUSH_TOKEN_ENV: self.push_token, **self.env}
        self.rasa_servers = [self.rasa_server(port) for port in (self.rasa_port, *self.more_rasa_ports)]
        self.servers = [
            Server(
                "action server",
                [RASA, "run", "actions", "--actions", "actions", "--port", str(self.actions_port)],
                f"http://localhost:{self.actions_port}/health",
                self.log_dir / "actions.log",
                self.env,
            ),
            Server(
                "agent desk",
                [sys.executable, "-m", "bot.desk"],
                f"http://localhost:{self.desk_port}/health",
                self.log_dir / "desk.log",
                {**self.env, "SHOP_DESK_PORT": str(self.desk_port), "SHOP_RASA_URL": self.rasa_url,
                 RASA_URLS_ENV: ",".join(self.rasa_urls)},  # every replica, for agent replies
            ),
            Server(
                "storefront",
                [sys.executable, "-m", "bot.storefront"],
                f"{self.storefront_url}/health",
                self.log_dir / "storefront.log",
                {**self.env, "SHOP_STOREFRONT_PORT": str(self.storefront_port),
                 "SHOP_RASA_URL": self.rasa_url},
            ),
            *self.rasa_servers,
        ]
        for server in self.servers:
            server.start()
        try:
            wait_until_up(self.servers, timeout, self.log_dir)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()
