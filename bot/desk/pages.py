"""The agents' HTML pages: login, queue, handoff view and reports, with form fallbacks for every
action."""
from __future__ import annotations

import asyncio
import functools
import time
from typing import Any, Optional

from aiohttp import web

from bot.alerts import service as alerts
from bot.core import clock, settings
from bot.desk import api, report_views, sessions, views
from bot.desk.auth import COOKIE, check_credentials, csrf_token, make_session, require_form_csrf, session_parts
from bot.desk.config import DeskConfig
from bot.desk.keys import CONFIG, LOGIN_THROTTLE, SERVICE
from bot.desk.service import DeskService
from bot.desk.throttle import LoginThrottle
from bot.reports import summary as reports


def html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html")


def _safe_next(value: Optional[str]) -> str:
    """Only paths on this desk, so the login form cannot send an agent to another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def csrf_of(request: web.Request) -> str:
    return csrf_token(request.app[CONFIG], request["session"])


async def login_form(request: web.Request) -> web.Response:
    if request["agent"]:
        raise web.HTTPSeeOther(_safe_next(request.query.get("next")))
    return html(views.login_page(next_url=_safe_next(request.query.get("next"))))


async def login(request: web.Request) -> web.Response:
    config: DeskConfig = request.app[CONFIG]
    throttle: LoginThrottle = request.app[LOGIN_THROTTLE]
    form = await request.post()
    username = str(form.get("username", "")).strip().lower()
    password = str(form.get("password", ""))
    next_url = _safe_next(request.query.get("next"))
    client = request.remote or ""
    if not throttle.attempt(username, client):
        return html(views.login_page("Too many login attempts. Wait 15 minutes and try again.",
                                      next_url, username), status=429)
    loop = asyncio.get_running_loop()  # scrypt takes ~50 ms: keep it off the event loop
    if not await loop.run_in_executor(None, check_credentials, config, username, password):
        return html(views.login_page("Wrong username or password.", next_url, username), status=401)
    throttle.succeeded(username, client)
    response = web.HTTPSeeOther(next_url)
    # Secure whenever the desk is reached over https (directly or behind a TLS proxy), so the
    # browser never sends the session over plain http; a local http desk still works.
    https = request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
    response.set_cookie(COOKIE, make_session(config, username, time.time()), httponly=True,
                        samesite="Strict", path="/", max_age=config.session_hours * 3600,
                        secure=https)
    raise response


async def logout(request: web.Request) -> web.Response:
    await require_form_csrf(request)
    cookie = request.cookies.get(COOKIE)
    if cookie and request["agent"]:  # ended for good: a copy of the cookie no longer works
        _, expires, session_id = session_parts(cookie)
        await asyncio.get_running_loop().run_in_executor(None, sessions.revoke, session_id, expires)
    response = web.HTTPSeeOther("/login")
    response.del_cookie(COOKIE, path="/")
    raise response


async def queue(request: web.Request) -> web.Response:
    shown = request.query.get("status", "open")
    if shown not in dict(views.FILTERS):
        shown = "open"
    service: DeskService = request.app[SERVICE]
    handoffs = await service.list(shown if shown in api.STATUSES else None)
    open_alerts = await asyncio.get_running_loop().run_in_executor(None, alerts.open_count)
    return html(views.queue_page(handoffs, clock.now(), shown, request["agent"], csrf_of(request), open_alerts))


async def _view(request: web.Request, notice: Optional[str] = None, status: int = 200) -> web.Response:
    config: DeskConfig = request.app[CONFIG]
    service: DeskService = request.app[SERVICE]
    try:
        handoff = await service.get(api.handoff_id(request))
    except service.NotFound:
        body = '<h1>Handoff not found</h1><p><a href="/">Back to the queue</a></p>'
        return html(views.page("Not found", body, agent=request["agent"], csrf=csrf_of(request)), 404)
    return html(views.handoff_page(handoff, clock.now(), config.timezone, config.timezone_label,
                                    request["agent"], csrf_of(request), config.poll_seconds, notice), status)


async def handoff(request: web.Request) -> web.Response:
    return await _view(request)


async def _act(request: web.Request, action) -> web.Response:
    """Run a form action as the logged-in agent; a refused one re-shows the view with why."""
    service: DeskService = request.app[SERVICE]
    try:
        await action(service, api.handoff_id(request), request["agent"])
    except service.NotFound:
        return await _view(request)
    except service.StateError as err:
        return await _view(request, notice=str(err) or "That is not possible any more.", status=409)
    except service.InputError as err:
        return await _view(request, notice=str(err) or "That request is not valid.", status=400)
    raise web.HTTPSeeOther(f"/handoffs/{request.match_info['handoff_id']}")


async def claim(request: web.Request) -> web.Response:
    await require_form_csrf(request)
    return await _act(request, lambda s, hid, agent: s.claim(hid, agent))


async def resolve(request: web.Request) -> web.Response:
    await require_form_csrf(request)
    return await _act(request, lambda s, hid, agent: s.resolve(hid, agent))


async def reply(request: web.Request) -> web.Response:
    """The reply box without JavaScript: store the message, then show the view again."""
    form = await require_form_csrf(request)
    text = api.clean_text(form.get("text"))
    if text is None or len(text) > api.MAX_TEXT_LENGTH:
        return await _view(request, notice="Write a message of 1 to 4000 characters.", status=400)

    async def send(service: DeskService, hid, agent: str) -> None:
        await api.deliver(request.app, await service.add_agent_message(hid, agent, text))

    return await _act(request, send)


async def _report_figures(request: web.Request) -> Any:
    """The summary for the page's query; a bad range falls back to the last 30 days, said."""
    query = request.query
    try:
        start, end = reports.parse_range(query.get("from"), query.get("to"), clock.now().date())
        notice = None
    except reports.ReportRangeError as err:
        start, end = reports.parse_range(None, None, clock.now().date())
        notice = f"{str(err)[:1].upper()}{str(err)[1:]}: showing the last 30 days."
    channel = (query.get("channel") or "").strip() or None
    figures = await asyncio.get_running_loop().run_in_executor(
        None, functools.partial(reports.summary, start, end, channel))
    return figures, notice


async def reports_page(request: web.Request) -> web.Response:
    figures, notice = await _report_figures(request)
    channels = sorted({"rest", "socketio", *settings.MESSAGING_CHANNELS})
    return html(report_views.reports_page(figures, channels, request["agent"], csrf_of(request), notice))


async def reports_csv(request: web.Request) -> web.Response:
    figures, _ = await _report_figures(request)
    name = f"support-report-{figures['from']}-to-{figures['to']}.csv"
    return web.Response(text=report_views.reports_csv(figures), content_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def stylesheet(request: web.Request) -> web.Response:
    from bot.desk.assets import CSS

    return web.Response(text=CSS, content_type="text/css")


async def script(request: web.Request) -> web.Response:
    from bot.desk.assets import JS

    return web.Response(text=JS, content_type="application/javascript")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/", queue)
    app.router.add_get("/handoffs/{handoff_id}", handoff)
    app.router.add_post("/handoffs/{handoff_id}/claim", claim)
    app.router.add_post("/handoffs/{handoff_id}/resolve", resolve)
    app.router.add_post("/handoffs/{handoff_id}/messages", reply)
    app.router.add_get("/reports", reports_page)
    app.router.add_get("/reports.csv", reports_csv)
    app.router.add_get("/desk.css", stylesheet)
    app.router.add_get("/desk.js", script)
