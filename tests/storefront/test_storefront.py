"""The demo storefront: the page, its widget configuration, the demo sign-in and the bundle."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.orders.customer_token import read_customer_token
from bot.storefront.app import COOKIE, create_app
from bot.storefront.config import StorefrontConfig, StorefrontConfigError, load_config

SECRET = "storefront-test-secret-0123456789"
RASA = "http://localhost:15005"


def widget_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="shop-chat-config">(.*?)</script>', html, re.S)
    assert match, "the page carries the widget's configuration"
    return json.loads(match.group(1))


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "index.js"
    path.write_text("window.WebChat = {default: function () {}};")
    return path


@pytest.fixture
async def client(bundle: Path):
    config = StorefrontConfig(rasa_url=RASA, token_secret=SECRET, widget_bundle=bundle)
    async with TestClient(TestServer(create_app(config, "Northwind Outfitters"))) as test_client:
        yield test_client


async def test_guest_page_mounts_the_widget_without_a_customer_token(client):
    response = await client.get("/")
    html = await response.text()
    assert response.status == 200 and "Northwind Outfitters" in html
    assert '<script src="/widget/webchat.js"></script>' in html
    config = widget_config(html)
    assert config["socketUrl"] == RASA and config["socketPath"] == "/socket.io/"
    assert config["initPayload"] == "/greet"  # a greeting when the chat opens
    assert config["customData"] == {}
    assert 'id="sign-in-form"' in html and "maria.gonzalez@example.com" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert f"connect-src 'self' {RASA} ws://localhost:15005" in response.headers["Content-Security-Policy"]


async def test_signed_in_page_carries_a_token_the_action_server_accepts(client):
    response = await client.post("/demo/sign-in", data={"email": "Maria.Gonzalez@example.com"},
                                 allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    html = await (await client.get("/")).text()
    assert "Signed in as <strong>Maria Gonzalez</strong>" in html and "#100001, #100006" in html
    token = widget_config(html)["customData"]["customer_token"]
    customer = read_customer_token(token, SECRET)
    assert customer is not None and customer.email == "maria.gonzalez@example.com"

    await client.post("/demo/sign-out", allow_redirects=False)
    assert widget_config(await (await client.get("/")).text())["customData"] == {}


async def test_only_demo_customers_can_be_signed_in(client):
    response = await client.post("/demo/sign-in", data={"email": "someone@example.com"})
    assert response.status == 400 and "demo customers" in await response.text()
    assert COOKIE not in response.cookies
    # A cookie naming anyone else (edited by hand) signs nobody in.
    client.session.cookie_jar.update_cookies({COOKIE: "someone@example.com"})
    assert widget_config(await (await client.get("/")).text())["customData"] == {}


async def test_without_a_secret_the_demo_sign_in_is_off(bundle):
    config = StorefrontConfig(rasa_url=RASA, token_secret=None, widget_bundle=bundle)
    async with TestClient(TestServer(create_app(config, "Shop"))) as client:
        assert (await client.post("/demo/sign-in", data={"email": "maria.gonzalez@example.com"})).status == 403
        client.session.cookie_jar.update_cookies({COOKIE: "maria.gonzalez@example.com"})
        html = await (await client.get("/")).text()
        assert widget_config(html)["customData"] == {} and "sign-in is off" in html


async def test_health_bundle_and_static_files(client, bundle):
    assert (await client.get("/health")).status == 200
    response = await client.get("/widget/webchat.js")
    assert response.status == 200 and "WebChat" in await response.text()
    assert response.headers["Content-Type"].startswith("application/javascript")
    script = await (await client.get("/static/storefront.js")).text()
    assert "markAgentMessage" in script and "aria-label" in script
    assert (await client.get("/static/storefront.css")).status == 200


async def test_a_missing_bundle_is_reported_not_served(tmp_path):
    config = StorefrontConfig(rasa_url=RASA, token_secret=SECRET, widget_bundle=tmp_path / "none.js")
    async with TestClient(TestServer(create_app(config, "Shop"))) as client:
        health = await client.get("/health")
        assert health.status == 503 and "widget bundle missing" in (await health.json())["message"]
        missing = await client.get("/widget/webchat.js")
        assert missing.status == 404 and "make setup" in await missing.text()


def test_the_page_script_cannot_be_broken_out_of_by_a_shop_name():
    from bot.storefront.page import render_page

    html = render_page(shop_name="</script><b>x", customers=[], signed_in=None,
                       sign_in_available=True, widget_config={"title": "</script><b>x"})
    assert "</script><b>" not in html
    assert widget_config(html)["title"] == "</script><b>x"


def test_configuration_from_the_environment():
    config = load_config({"SHOP_STOREFRONT_PORT": "16080", "SHOP_RASA_URL": "http://bot:5005/",
                          "SHOP_CUSTOMER_TOKEN_SECRET": SECRET})
    assert (config.port, config.rasa_url, config.token_secret) == (16080, "http://bot:5005", SECRET)
    assert load_config({}).port == 5080 and load_config({}).token_secret is None
    with pytest.raises(StorefrontConfigError, match="SHOP_STOREFRONT_PORT"):
        load_config({"SHOP_STOREFRONT_PORT": "web"})
    with pytest.raises(StorefrontConfigError, match="SHOP_RASA_URL"):
        load_config({"SHOP_RASA_URL": "localhost:5005"})
