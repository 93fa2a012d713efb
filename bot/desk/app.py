"""The agent desk application: `create_app(config, ...)` wires auth, pages and the JSON API."""
from __future__ import annotations

from types import ModuleType
from typing import Optional

from aiohttp import web

from bot.core import web_apps
from bot.desk import alert_pages, api, pages
from bot.desk.auth import auth_middleware
from bot.desk.config import DeskConfig
from bot.desk.keys import CONFIG, LOGIN_THROTTLE, ON_AGENT_MESSAGE, SERVICE, AgentMessageHook
from bot.desk.reply_push import no_push
from bot.desk.service import DeskService
from bot.desk.throttle import LoginThrottle

#: Pages load only the desk's own script and stylesheet, and cannot be framed.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


security_headers = web_apps.security_headers(lambda request: CSP, {"Cache-Control": "no-store"})


def create_app(config: DeskConfig, *, service: Optional[ModuleType] = None,
               on_agent_message: Optional[AgentMessageHook] = None) -> web.Application:
    """The desk app. `service` defaults to bot.handoff.service (tests may pass a stand-in
    module with the same functions and exceptions); `on_agent_message` runs after each agent
    message is stored (see keys.AgentMessageHook; default: push nothing, so it goes with the
    customer's next message)."""
    app = web.Application(middlewares=[security_headers, auth_middleware, api.api_errors],
                          client_max_size=64 * 1024)
    app[CONFIG] = config
    app[SERVICE] = DeskService(service)
    app[ON_AGENT_MESSAGE] = on_agent_message or no_push
    app[LOGIN_THROTTLE] = LoginThrottle()
    api.add_routes(app)
    pages.add_routes(app)
    alert_pages.add_routes(app)
    return app
