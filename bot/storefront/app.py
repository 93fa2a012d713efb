"""The storefront application: the demo shop page, the widget bundle and the demo sign-in."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

from aiohttp import web

from bot.core import web_apps
from bot.orders.customer_token import DEFAULT_TTL_SECONDS, sign_customer_token
from bot.storefront.config import StorefrontConfig
from bot.storefront.demo_customers import DemoCustomer, demo_customers, find_demo_customer
from bot.storefront.page import render_page

STATIC = Path(__file__).resolve().parent / "static"
#: Holds the demo customer's email (not a credential: the page signs a fresh token from it).
COOKIE = "shop_demo_customer"
CONFIG = web.AppKey("config", StorefrontConfig)
SHOP_NAME = web.AppKey("shop_name", str)


def _csp(rasa_url: str) -> str:
    # The widget injects its own <style> and inline styles, and talks to the Rasa server over
    # socket.io (HTTP polling, then a WebSocket); nothing else leaves the page (its CSS also
    # imports a web font from a CDN: blocked, the page falls back to the system font).
    socket = "ws" + rasa_url[len("http"):]
    return ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' {rasa_url} {socket}; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


security_headers = web_apps.security_headers(lambda request: _csp(request.app[CONFIG].rasa_url))


def signed_in(request: web.Request) -> Optional[DemoCustomer]:
    if request.app[CONFIG].token_secret is None:
        return None
    return find_demo_customer(request.cookies.get(COOKIE))


def widget_config(config: StorefrontConfig, shop_name: str,
                  customer: Optional[DemoCustomer]) -> Dict[str, Any]:
    """What static/storefront.js passes to rasa-webchat (see README "The chat widget")."""
    custom_data: Dict[str, str] = {}
    if customer is not None and config.token_secret is not None:
        # Signed per page view, so a token is never older than the page that uses it.
        custom_data["customer_token"] = sign_customer_token(
            customer.email, config.token_secret, ttl_seconds=DEFAULT_TTL_SECONDS)
    return {
        "socketUrl": config.rasa_url,
        "socketPath": "/socket.io/",
        "initPayload": "/greet",
        "customData": custom_data,
        "title": shop_name,
        "subtitle": "Support assistant",
        "inputTextFieldHint": "Type your message…",
    }


async def page(request: web.Request) -> web.Response:
    config, customer = request.app[CONFIG], signed_in(request)
    html = render_page(shop_name=request.app[SHOP_NAME], customers=demo_customers(),
                       signed_in=customer, sign_in_available=config.token_secret is not None,
                       widget_config=widget_config(config, request.app[SHOP_NAME], customer))
    # The page holds a fresh token: never from a cache.
    return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})


async def health(request: web.Request) -> web.Response:
    bundle = request.app[CONFIG].widget_bundle
    if not bundle.is_file():
        return web.json_response({"status": "error", "message": f"widget bundle missing: {bundle}"},
                                 status=503)
    return web.json_response({"status": "ok"})


async def widget_bundle(request: web.Request) -> web.StreamResponse:
    bundle = request.app[CONFIG].widget_bundle
    if not bundle.is_file():
        raise web.HTTPNotFound(text="The chat widget is not installed: run 'make setup' (npm ci in web/).")
    return web.FileResponse(bundle, headers={"Content-Type": "application/javascript"})


async def sign_in(request: web.Request) -> web.StreamResponse:
    if request.app[CONFIG].token_secret is None:
        raise web.HTTPForbidden(text="The demo sign-in is off: SHOP_CUSTOMER_TOKEN_SECRET is not set.")
    form = await request.post()
    customer = find_demo_customer(form.get("email"))
    if customer is None:
        raise web.HTTPBadRequest(text="Pick one of the demo customers on the page.")
    response = web.HTTPSeeOther("/")
    response.set_cookie(COOKIE, customer.email, httponly=True, samesite="Lax", path="/")
    raise response


async def sign_out(request: web.Request) -> web.StreamResponse:
    response = web.HTTPSeeOther("/")
    response.del_cookie(COOKIE, path="/")
    raise response


def create_app(config: StorefrontConfig, shop_name: str) -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=16 * 1024)
    app[CONFIG] = config
    app[SHOP_NAME] = shop_name
    app.router.add_get("/", page)
    app.router.add_get("/health", health)
    app.router.add_get("/widget/webchat.js", widget_bundle)
    app.router.add_post("/demo/sign-in", sign_in)
    app.router.add_post("/demo/sign-out", sign_out)
    app.router.add_static("/static/", STATIC)
    return app
