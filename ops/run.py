"""`make run`: start the action server, the agent desk, the storefront and the Rasa server,
print where to reach them, and stop them cleanly on Ctrl-C."""
from __future__ import annotations

import os
import secrets
import signal
import sys
import time
from pathlib import Path

from bot.core.settings import DEMO_ENV, REST_TOKEN_ENV
from bot.orders.customer_token import SECRET_ENV as CUSTOMER_TOKEN_SECRET_ENV
from ops.deployment import DeploymentConfigError, resolve
from ops.model_cache import ensure_model
from ops.stack import ROOT, Stack


def endpoints_for(actions_port: int) -> Path:
    """endpoints.yml, or a copy in var/ pointing at another action-server port."""
    source = ROOT / "endpoints.yml"
    if actions_port == 5055:
        return source
    target = ROOT / "var" / "endpoints.yml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(source.read_text().replace("localhost:5055/", f"localhost:{actions_port}/"))
    return target


def messaging_lines(stack: Stack) -> str:
    """One line per messaging channel the environment turned on (README: Messaging channels)."""
    enabled = stack.channels.enabled if stack.channels else []
    if not enabled:
        return "  Messaging apps:    none set (Telegram, Messenger, SMS, WhatsApp, Slack: see the README)\n"
    return "".join(f"  {c.title + ':':<18} {stack.rasa_url}{c.webhook_path}\n" for c in enabled)


#: What `make run` says about its Rasa server's workers (README, "Production setup").
WORKERS_LINE = ("  Rasa server:       one worker. The chat widget's socket.io connection starts with long\n"
                "                     polling, which several workers of one port would split; for more\n"
                "                     throughput run more servers (README, Production setup).\n")


def _shown(path: Path) -> str:
    """`path` relative to the checkout when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def main() -> int:
    from bot.profile.shop_profile import ProfileError, load_profile

    try:
        load_profile()  # a bad profile stops the start with the key named, not a stack trace
    except ProfileError as err:
        print(f"error: the shop profile is not valid: {err}", file=sys.stderr)
        return 2
    actions_port = int(os.environ.get("ACTIONS_PORT", 5055))
    try:
        deployment = resolve(os.environ, actions_port, lambda: endpoints_for(actions_port))
    except DeploymentConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if deployment.production:
        from ops.service_checks import production_problems

        print("==> Production deployment: checking PostgreSQL, Redis and RabbitMQ...", flush=True)
        problems = production_problems(deployment.env)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        if problems:
            return 1
    model = ensure_model()
    # The desk's API token for tools, random per run unless the operator set one. (Agent replies
    # reach the widget with a separate push token that the Stack makes.)
    token = os.environ.get("SHOP_DESK_API_TOKEN") or secrets.token_urlsafe(24)
    # The storefront signs the signed-in customer's token and the action server checks it:
    # one secret for both, random per run unless the operator set one.
    customer_secret = os.environ.get(CUSTOMER_TOKEN_SECRET_ENV) or secrets.token_urlsafe(32)
    stack = Stack(
        model=model,
        rasa_port=int(os.environ.get("RASA_PORT", 5005)),
        actions_port=actions_port,
        endpoints=deployment.endpoints,
        desk_port=int(os.environ.get("SHOP_DESK_PORT", 5070)),
        storefront_port=int(os.environ.get("SHOP_STOREFRONT_PORT", 5080)),
        # The local demo: the desk accepts the shipped demo agent (not in production, nor elsewhere).
        env={DEMO_ENV: os.environ.get(DEMO_ENV, "0" if deployment.production else "1"),
             **deployment.env, "SHOP_DESK_API_TOKEN": token,
             CUSTOMER_TOKEN_SECRET_ENV: customer_secret},
    )
    print("==> Starting the action server, the agent desk, the storefront and the Rasa server"
          " (up to a minute)...", flush=True)
    try:
        stack.start()
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1

    url = stack.rasa_url
    rest_token = {**os.environ, **deployment.env}.get(REST_TOKEN_ENV, "").strip()
    rest_access = ("needs the header Authorization: Bearer $SHOP_REST_TOKEN" if rest_token else
                   "open to anyone on this machine: the local demo (set SHOP_REST_TOKEN to require a token)")
    channel_lines = messaging_lines(stack) + WORKERS_LINE
    print(
        f"""
The shop assistant is running ({deployment.name} deployment, {_shown(deployment.endpoints)}).
  Chat widget:       {stack.storefront_url}/   (demo storefront; sign in as a demo customer there)
  REST channel:      POST {url}/webhooks/rest/webhook   ({rest_access})
                     e.g. curl -s {url}/webhooks/rest/webhook -H 'Content-Type: application/json' \\
                          -d '{{"sender": "me", "message": "where is order 100001? email maria.gonzalez@example.com"}}'
  socket.io channel: {url}/socket.io  (for a chat widget)
{channel_lines}  Agent desk:        {stack.desk_url}/   demo login: demo / demo-agent (SHOP_DEMO=1)
  Desk API:          {stack.desk_url}/api/handoffs   with the header: Authorization: Bearer {token}
  Chat in a terminal: make shell   (in another terminal)
  Logs:              {(stack.log_dir).relative_to(ROOT)}/
Press Ctrl-C to stop.""",
        flush=True,
    )

    stopping = False

    def _stop(signum, frame):  # noqa: ANN001 - signal handler signature
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping:
            crashed = [s for s in stack.servers if s.exited()]
            if crashed:
                print(f"error: the {crashed[0].name} stopped; see {crashed[0].log_path}", file=sys.stderr)
                return 1
            time.sleep(0.5)
    finally:
        print("\nStopping...", flush=True)
        stack.stop()
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
