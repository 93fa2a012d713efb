"""The JSON API: list, read, claim, reply to and resolve handoffs; the support summary
(docs/agent-desk.md)."""
from __future__ import annotations

import asyncio
import functools
import json
import logging
from datetime import date, datetime
from typing import Any, Dict, Optional

from aiohttp import web

from bot.core import clock
from bot.desk import reply_push
from bot.desk.keys import CONFIG, ON_AGENT_MESSAGE, SERVICE
from bot.desk.service import DeskService
from bot.handoff import replies
from bot.reports import summary as reports

log = logging.getLogger(__name__)

STATUSES = ("queued", "assigned", "resolved", "expired", "open")  # open: queued or assigned
MAX_TEXT_LENGTH = 4000
MAX_AGENT_LENGTH = 64


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value)


def dumps(data: Any) -> str:
    return json.dumps(data, default=_default)


def ok(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps)


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status)


def handoff_id(request: web.Request) -> Any:
    """The id from the path: an int when it is all digits (the service's ids), else the text."""
    raw = request.match_info["handoff_id"]
    return int(raw) if raw.isdigit() else raw


async def read_json(request: web.Request) -> Dict[str, Any]:
    """The body as a JSON object ({} when empty); HTTPBadRequest with a JSON message otherwise."""
    raw = await request.text()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as err:
        raise web.HTTPBadRequest(
            text=dumps({"error": "bad_json", "message": f"The body is not valid JSON: {err.msg}."}),
            content_type="application/json",
        ) from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(
            text=dumps({"error": "bad_json", "message": "The body must be a JSON object."}),
            content_type="application/json",
        )
    return body


def acting_agent(request: web.Request, body: Dict[str, Any]) -> Optional[str]:
    """A logged-in agent acts as themselves; a token caller names the agent in the body, and
    only an agent of the agents file may be named (403 otherwise: no forged audit trail)."""
    if request["auth"] == "session":
        return request["agent"]
    agent = body.get("agent")
    if not (isinstance(agent, str) and agent.strip() and len(agent.strip()) <= MAX_AGENT_LENGTH):
        return None
    name = agent.strip().lower()
    if name not in request.app[CONFIG].agents:
        raise web.HTTPForbidden(text=dumps({"error": "unknown_agent", "message":
                                            f"{name!r} is not an agent of the desk's agents file."}),
                                content_type="application/json")
    return name


def clean_text(value: Any) -> Optional[str]:
    """Stripped message text, or None when it is missing, not a string or blank."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


async def deliver(app: web.Application, stored: Dict[str, Any]) -> Dict[str, Any]:
    """Push a stored message from the team to the customer now (bot.desk.reply_push); the
    message with how its delivery went ("delivery": delivered / pending / failed)."""
    try:
        result = await reply_push.deliver(app[SERVICE], app[ON_AGENT_MESSAGE], stored["id"])
    except Exception:  # stored all the same: the minute job and the customer's next message take it
        log.exception("could not push message %s now", stored.get("id"))
        return stored
    if result is not None:
        stored = dict(stored, delivery=replies.delivery_after(result.delivered, result.failed, result.error, 1))
    return stored


async def health(request: web.Request) -> web.Response:
    return ok({"status": "ok"})


async def list_handoffs(request: web.Request) -> web.Response:
    status = request.query.get("status") or None
    if status is not None and status not in STATUSES:
        return error(400, "bad_status", f"status must be one of: {', '.join(STATUSES)}.")
    service: DeskService = request.app[SERVICE]
    return ok({"handoffs": await service.list(status)})


async def get_handoff(request: web.Request) -> web.Response:
    service: DeskService = request.app[SERVICE]
    return ok(await service.get(handoff_id(request)))


async def claim(request: web.Request) -> web.Response:
    body = await read_json(request)
    agent = acting_agent(request, body)
    if agent is None:
        return error(400, "agent_required", "Name the agent: {\"agent\": \"name\"}.")
    service: DeskService = request.app[SERVICE]
    return ok(await service.claim(handoff_id(request), agent))


async def post_message(request: web.Request) -> web.Response:
    body = await read_json(request)
    text = clean_text(body.get("text"))
    if text is None:
        return error(400, "text_required", "The message text is empty: send {\"text\": \"...\"}.")
    if len(text) > MAX_TEXT_LENGTH:
        return error(400, "text_too_long", f"The message is longer than {MAX_TEXT_LENGTH} characters.")
    agent = acting_agent(request, body)
    if agent is None:
        return error(400, "agent_required", "Name the agent: {\"agent\": \"name\", \"text\": \"...\"}.")
    service: DeskService = request.app[SERVICE]
    stored = await deliver(request.app, await service.add_agent_message(handoff_id(request), agent, text))
    return ok({"message": stored, "pushed": stored["delivery"]["status"] == "delivered"}, status=201)


async def resolve(request: web.Request) -> web.Response:
    body = await read_json(request)
    agent = acting_agent(request, body)
    if agent is None:
        return error(400, "agent_required", "Name the agent: {\"agent\": \"name\"}.")
    service: DeskService = request.app[SERVICE]
    return ok(await service.resolve(handoff_id(request), agent))


async def reports_summary(request: web.Request) -> web.Response:
    """GET /api/reports/summary?from=YYYY-MM-DD&to=YYYY-MM-DD[&channel=...]"""
    try:
        start, end = reports.parse_range(request.query.get("from"), request.query.get("to"), clock.now().date())
    except reports.ReportRangeError as err:
        reason = str(err)
        return error(400, "bad_range", f"{reason[:1].upper()}{reason[1:]}.")
    channel = (request.query.get("channel") or "").strip() or None
    figures = await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(reports.summary, start, end, channel))
    return ok(figures)


@web.middleware
async def api_errors(request: web.Request, handler):
    """Service errors on /api/ become JSON: 404 unknown handoff, 409 wrong state, 400 bad input;
    anything unexpected is logged and answered 500 without details."""
    service: DeskService = request.app[SERVICE]
    try:
        return await handler(request)
    except service.NotFound as err:
        if not request.path.startswith("/api/"):
            raise
        return error(404, "not_found", str(err) or "No such handoff.")
    except service.StateError as err:
        if not request.path.startswith("/api/"):
            raise
        return error(409, "conflict", str(err) or "The handoff is not in a state that allows this.")
    except service.InputError as err:
        if not request.path.startswith("/api/"):
            raise
        return error(400, "bad_request", str(err) or "The request is not valid.")
    except web.HTTPException:
        raise
    except Exception:  # e.g. the database is down: say so briefly, keep the details in the log
        log.exception("%s %s failed", request.method, request.path)
        if request.path.startswith("/api/"):
            return error(500, "internal", "The desk could not do that; the details are in its log.")
        return web.Response(status=500, content_type="text/html",
                            text="<!doctype html><title>Error</title><p>Something went wrong. "
                                 "Try again in a moment; the details are in the desk's log.</p>")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/health", health)
    app.router.add_get("/api/handoffs", list_handoffs)
    app.router.add_get("/api/handoffs/{handoff_id}", get_handoff)
    app.router.add_post("/api/handoffs/{handoff_id}/claim", claim)
    app.router.add_post("/api/handoffs/{handoff_id}/messages", post_message)
    app.router.add_post("/api/handoffs/{handoff_id}/resolve", resolve)
    app.router.add_get("/api/reports/summary", reports_summary)
