"""Who is asking: signed session cookies for agents, a bearer token for tools, CSRF tokens."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from typing import Optional, Tuple
from urllib.parse import quote

from aiohttp import web

from bot.core.tokens import bearer_matches
from bot.desk import sessions
from bot.desk.config import DeskConfig
from bot.desk.keys import CONFIG
from bot.desk.passwords import DUMMY_HASH, verify_password

COOKIE = "desk_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf"
#: Paths anyone may fetch; everything else needs an agent session or (under /api/) the token.
PUBLIC_PATHS = {"/health", "/login", "/desk.css", "/desk.js"}


def _sign(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _password_mark(config: DeskConfig, agent: str) -> str:
    """Part of what a session signs: a changed password (a new hash) ends the agent's sessions."""
    return hashlib.sha256((config.agents.get(agent) or "").encode()).hexdigest()[:16]


def make_session(config: DeskConfig, agent: str, now: Optional[float] = None) -> str:
    """A cookie value 'agent|expiry|session id|signature' valid for config.session_hours, only
    while the agent's password stays the same and until logout revokes the session id."""
    expires = int((now if now is not None else time.time()) + config.session_hours * 3600)
    payload = f"{agent}|{expires}|{secrets.token_urlsafe(16)}"
    return f"{payload}|{_sign(config.secret, f'session:{payload}|{_password_mark(config, agent)}')}"


def session_parts(value: str) -> Tuple[str, int, str]:
    """(agent, expiry, session id) of a cookie value that read_session accepted."""
    agent, expires, session_id, _ = value.split("|")
    return agent, int(expires), session_id


def read_session(config: DeskConfig, value: Optional[str], now: Optional[float] = None) -> Optional[str]:
    """The agent named by a valid, unexpired cookie of a still-configured agent whose password
    has not changed since; else None. (Logout revocation is checked by the middleware.)"""
    if not value or value.count("|") != 3:
        return None
    agent, expires, session_id, signature = value.split("|")
    expected = _sign(config.secret, f"session:{agent}|{expires}|{session_id}|{_password_mark(config, agent)}")
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    if not expires.isdigit() or int(expires) < (now if now is not None else time.time()):
        return None
    return agent if agent in config.agents else None


def csrf_token(config: DeskConfig, session_value: str) -> str:
    """Bound to the session, so a page from another site cannot know it."""
    return _sign(config.secret, "csrf:" + session_value)


def check_credentials(config: DeskConfig, username: str, password: str) -> bool:
    """Constant work whether or not the username exists."""
    stored = config.agents.get(username)
    ok = verify_password(password, stored or DUMMY_HASH)
    return ok and stored is not None


def bearer_ok(config: DeskConfig, header: Optional[str]) -> bool:
    return bearer_matches(header, config.api_token)


def _unauthorized_api() -> web.Response:
    return web.json_response(
        {"error": "unauthorized", "message": "Send 'Authorization: Bearer <SHOP_DESK_API_TOKEN>' or log in."},
        status=401,
        headers={"WWW-Authenticate": 'Bearer realm="agent-desk"'},
    )


@web.middleware
async def auth_middleware(request: web.Request, handler):
    """Sets request['agent'] and request['auth'] ('session' or 'token'); refuses the rest."""
    config: DeskConfig = request.app[CONFIG]
    cookie = request.cookies.get(COOKIE)
    agent = read_session(config, cookie)
    if agent and cookie and await _revoked(cookie):
        agent = None
    request["agent"], request["session"] = agent, cookie if agent else None
    request["auth"] = "session" if agent else None
    path = request.path
    if path in PUBLIC_PATHS:
        return await handler(request)
    if path.startswith("/api/"):
        if bearer_ok(config, request.headers.get("Authorization")):
            request["auth"] = "token"
        elif agent is None:
            return _unauthorized_api()
        elif request.method not in ("GET", "HEAD") and not _csrf_ok(request, None):
            return web.json_response(
                {"error": "forbidden", "message": f"Missing or wrong {CSRF_HEADER} header."}, status=403
            )
        return await handler(request)
    if agent is None:
        target = quote(str(request.rel_url), safe="")
        raise web.HTTPSeeOther(f"/login?next={target}" if path != "/" else "/login")
    return await handler(request)


async def _revoked(cookie: str) -> bool:
    """Whether logout ended this session (a database lookup, off the event loop)."""
    return await asyncio.get_running_loop().run_in_executor(
        None, sessions.revoked, session_parts(cookie)[2])


def _csrf_ok(request: web.Request, form_value: Optional[str]) -> bool:
    given = form_value if form_value is not None else request.headers.get(CSRF_HEADER, "")
    expected = csrf_token(request.app[CONFIG], request["session"])
    return hmac.compare_digest(given.encode(), expected.encode())


async def require_form_csrf(request: web.Request) -> dict:
    """The posted form of a page, after checking its CSRF field (403 when wrong)."""
    form = await request.post()
    if not _csrf_ok(request, str(form.get(CSRF_FIELD, ""))):
        raise web.HTTPForbidden(text="This form has expired. Go back, reload the page and try again.")
    return dict(form)
