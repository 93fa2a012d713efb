"""The desk's alerts: the pages (/alerts, /alerts/{id}, marking one seen) and the JSON API
(GET /api/alerts, GET /api/alerts/{id}, POST /api/alerts/{id}/acknowledge)."""
from __future__ import annotations

import asyncio
import functools
from dataclasses import asdict
from typing import Any, Dict, List, Optional

from aiohttp import web

from bot.alerts import service as alerts
from bot.core import clock, settings
from bot.core.db import engine_for
from bot.core.tracker_tables import session_events
from bot.desk import alert_views, api, views
from bot.desk.auth import require_form_csrf
from bot.desk.config import DeskConfig
from bot.desk.keys import CONFIG
from bot.desk.pages import csrf_of, html
from bot.handoff.transcript import transcript_from_events

STATUSES = (alerts.OPEN, alerts.ALL)


async def _run(function, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(function, *args))


def _alert_id(request: web.Request) -> Optional[int]:
    raw = request.match_info["alert_id"]
    return int(raw) if raw.isdigit() else None


def conversation_transcript(conversation_id: Optional[str]) -> List[Dict[str, Any]]:
    """The latest session of the conversation as the tracker store holds it, masked."""
    if not conversation_id:
        return []
    events = session_events(engine_for(settings.tracker_store_url()), conversation_id)
    return [asdict(entry) for entry in transcript_from_events(events)]


# --------------------------------------------------------------------------- JSON API


async def list_api(request: web.Request) -> web.Response:
    status = request.query.get("status") or alerts.OPEN
    if status not in STATUSES:
        return api.error(400, "bad_status", f"status must be one of: {', '.join(STATUSES)}.")
    return api.ok({"alerts": await _run(alerts.list_alerts, status), "open": await _run(alerts.open_count)})


async def get_api(request: web.Request) -> web.Response:
    alert_id = _alert_id(request)
    found = await _run(alerts.get_alert, alert_id) if alert_id is not None else None
    return api.ok(found) if found else api.error(404, "not_found", "No such alert.")


async def acknowledge_api(request: web.Request) -> web.Response:
    body = await api.read_json(request)
    agent = api.acting_agent(request, body)
    if agent is None:
        return api.error(400, "agent_required", "Name the agent: {\"agent\": \"name\"}.")
    alert_id = _alert_id(request)
    found = await _run(alerts.acknowledge, alert_id, agent, clock.now()) if alert_id is not None else None
    return api.ok(found) if found else api.error(404, "not_found", "No such alert.")


# --------------------------------------------------------------------------- pages


async def alerts_page(request: web.Request) -> web.Response:
    shown = request.query.get("status", alerts.OPEN)
    shown = shown if shown in STATUSES else alerts.OPEN
    config: DeskConfig = request.app[CONFIG]
    found = await _run(alerts.list_alerts, shown)
    return html(alert_views.alerts_page(found, shown, config.timezone, request["agent"], csrf_of(request)))


async def alert_page(request: web.Request) -> web.Response:
    config: DeskConfig = request.app[CONFIG]
    alert_id = _alert_id(request)
    found = await _run(alerts.get_alert, alert_id) if alert_id is not None else None
    if not found:
        body = '<h1>Alert not found</h1><p><a href="/alerts">Back to the alerts</a></p>'
        return html(views.page("Not found", body, agent=request["agent"], csrf=csrf_of(request)), 404)
    transcript = await _run(conversation_transcript, found.get("conversation_id"))
    return html(alert_views.alert_page(found, transcript, config.timezone, config.timezone_label,
                                        request["agent"], csrf_of(request)))


async def acknowledge_form(request: web.Request) -> web.Response:
    await require_form_csrf(request)
    alert_id = _alert_id(request)
    if alert_id is not None:
        await _run(alerts.acknowledge, alert_id, request["agent"], clock.now())
    raise web.HTTPSeeOther(f"/alerts/{request.match_info['alert_id']}")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/alerts", list_api)
    app.router.add_get("/api/alerts/{alert_id}", get_api)
    app.router.add_post("/api/alerts/{alert_id}/acknowledge", acknowledge_api)
    app.router.add_get("/alerts", alerts_page)
    app.router.add_get("/alerts/{alert_id}", alert_page)
    app.router.add_post("/alerts/{alert_id}/acknowledge", acknowledge_form)
