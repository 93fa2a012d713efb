"""What the shop's own web apps (the agent desk and the demo storefront) share: their port
setting read from the environment and the security headers on every response."""
from __future__ import annotations

from typing import Awaitable, Callable, Mapping, Optional, Type

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def port_from_env(env: Mapping[str, str], name: str, default: int, error: Type[Exception]) -> int:
    """The port in `env[name]`, `default` when unset; `error` naming the variable when unusable."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise error(f"{name}={raw!r} is not a port number (1 to 65535)")
    return int(raw)


def security_headers(csp: Callable[[web.Request], str], extra: Optional[Mapping[str, str]] = None):
    """A middleware setting the Content-Security-Policy `csp(request)` and the headers every page
    gets (no sniffing, no referrer), plus the `extra` headers."""
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", **(extra or {})}

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # redirects and errors get the headers too
            response = exc
        response.headers.setdefault("Content-Security-Policy", csp(request))
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if isinstance(response, web.HTTPException):
            raise response
        return response

    return middleware
