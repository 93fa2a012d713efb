"""Logging in to the desk, sessions, CSRF and the API's bearer token."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.desk import create_app
from bot.desk.auth import COOKIE, make_session, read_session
from bot.desk.throttle import LoginThrottle
from tests.support.desk_support import (  # noqa: F401 - fixtures
    AGENT,
    AUTH,
    OTHER_AGENT,
    PASSWORD,
    TOKEN,
    backend,
    client,
    hook_calls,
    login,
    make_config,
    new_handoff,
)


def test_session_cookie_round_trip_expiry_and_tampering():
    config = make_config(session_hours=1)
    value = make_session(config, AGENT, now=1_000_000)
    assert read_session(config, value, now=1_000_000 + 3599) == AGENT
    assert read_session(config, value, now=1_000_000 + 3601) is None  # expired
    agent, expires, sid, sig = value.split("|")
    assert read_session(config, f"{OTHER_AGENT}|{expires}|{sid}|{sig}", now=1_000_000) is None
    assert read_session(config, f"{agent}|{int(expires) + 9999}|{sid}|{sig}", now=1_000_000) is None
    assert read_session(config, f"{agent}|{expires}|another-session|{sig}", now=1_000_000) is None
    assert read_session(make_config(secret=b"t" * 32), value, now=1_000_000) is None
    assert read_session(config, "garbage", now=1_000_000) is None


def test_session_of_a_removed_agent_is_refused():
    config = make_config()
    value = make_session(config, OTHER_AGENT, now=1_000_000)
    without_bob = make_config(agents={AGENT: config.agents[AGENT]})
    assert read_session(without_bob, value, now=1_000_000) is None


def test_a_changed_password_ends_the_agents_sessions():
    from bot.desk.passwords import hash_password

    config = make_config()
    value = make_session(config, AGENT, now=1_000_000)
    assert read_session(config, value, now=1_000_001) == AGENT
    changed = make_config(agents={**config.agents, AGENT: hash_password("a brand new password")})
    assert read_session(changed, value, now=1_000_001) is None


async def test_logout_ends_the_session_for_good(client):
    """Before, logout only asked the browser to drop the cookie: a copy kept working."""
    csrf = await login(client)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value
    response = await client.post("/logout", data={"csrf": csrf}, allow_redirects=False)
    assert response.status == 303
    client.session.cookie_jar.clear()
    replay = await client.get("/", cookies={COOKIE: cookie}, allow_redirects=False)
    assert replay.status == 303 and replay.headers["Location"].startswith("/login")
    api = await client.get("/api/handoffs", cookies={COOKIE: cookie})
    assert api.status == 401


def test_throttle_blocks_after_repeated_attempts_then_forgets():
    throttle = LoginThrottle(max_failures=3, window_seconds=60)
    for t in (1, 2, 3):
        assert throttle.attempt("alice", "10.0.0.1", now=t)
    assert not throttle.attempt("alice", "10.0.0.2", now=4)  # another address does not help
    assert throttle.attempt("bob", "10.0.0.1", now=4)
    assert throttle.attempt("alice", "10.0.0.1", now=70)


def test_one_address_cannot_try_many_user_names():
    throttle = LoginThrottle(max_failures=3, window_seconds=60, max_per_client=4)
    for n, name in enumerate(["a", "b", "c", "d"]):
        assert throttle.attempt(name, "203.0.113.5", now=n + 1)
    assert not throttle.attempt("e", "203.0.113.5", now=6)
    assert throttle.attempt("e", "198.51.100.1", now=6)


def test_a_right_password_takes_its_attempt_back():
    throttle = LoginThrottle(max_failures=2, window_seconds=60)
    assert throttle.attempt("alice", "x", now=1)
    throttle.succeeded("alice", "x")
    assert throttle.attempt("alice", "x", now=2) and throttle.attempt("alice", "x", now=3)


async def test_login_ok_sets_an_httponly_strict_cookie(client):
    response = await client.post("/login", data={"username": AGENT, "password": PASSWORD},
                                 allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert PASSWORD not in cookie.value
    page = await client.get("/")
    assert page.status == 200 and "Handoff queue" in await page.text()


async def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    for username, password in ((AGENT, "wrong password"), ("mallory", PASSWORD)):
        response = await client.post("/login", data={"username": username, "password": password},
                                     allow_redirects=False)
        assert response.status == 401
        assert "Wrong username or password." in await response.text()
        assert COOKIE not in response.cookies
    assert (await client.get("/", allow_redirects=False)).status == 303


@pytest.mark.parametrize("headers, secure", [({"X-Forwarded-Proto": "https"}, True), ({}, False)])
async def test_the_session_cookie_is_secure_when_the_desk_is_served_over_https(client, headers, secure):
    response = await client.post("/login", data={"username": AGENT, "password": PASSWORD},
                                 headers=headers, allow_redirects=False)
    assert bool(response.cookies[COOKIE]["secure"]) is secure


async def test_too_many_wrong_passwords_lock_the_username_for_a_while(client):
    for _ in range(5):
        await client.post("/login", data={"username": AGENT, "password": "nope"})
    response = await client.post("/login", data={"username": AGENT, "password": PASSWORD})
    assert response.status == 429 and "Too many login attempts" in await response.text()


async def test_parallel_guesses_cannot_outrun_the_throttle(client):
    """All attempts are counted before the slow password check: of 20 guesses sent at once,
    only the first five are checked (before the fix, every one was)."""
    import asyncio

    async def guess(n: int) -> int:
        response = await client.post("/login", data={"username": AGENT, "password": f"guess-{n}"})
        return response.status

    statuses = await asyncio.gather(*(guess(n) for n in range(20)))
    assert statuses.count(401) == 5 and statuses.count(429) == 15


@pytest.mark.parametrize("path", ["/", "/?status=all", "/handoffs/1"])
async def test_pages_need_login_and_come_back_after_it(client, path):
    response = await client.get(path, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/login")
    form = await client.get(response.headers["Location"])
    assert 'for="username"' in await form.text() and 'for="password"' in await form.text()


async def test_login_returns_to_the_page_asked_for_but_never_off_site(client, backend):
    hid = new_handoff(backend)
    redirect = (await client.get(f"/handoffs/{hid}", allow_redirects=False)).headers["Location"]
    response = await client.post(redirect, data={"username": AGENT, "password": PASSWORD},
                                 allow_redirects=False)
    assert response.headers["Location"] == f"/handoffs/{hid}"
    client.session.cookie_jar.clear()
    response = await client.post("/login?next=//evil.example/x", data={"username": AGENT, "password": PASSWORD},
                                 allow_redirects=False)
    assert response.headers["Location"] == "/"


async def test_logout_needs_the_csrf_token_and_ends_the_session(client):
    csrf = await login(client)
    assert (await client.post("/logout", data={"csrf": "0" * 64})).status == 403
    assert (await client.get("/", allow_redirects=False)).status == 200
    response = await client.post("/logout", data={"csrf": csrf}, allow_redirects=False)
    assert response.status == 303
    assert (await client.get("/", allow_redirects=False)).status == 303


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"},
                                     {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"}])
async def test_api_without_or_with_a_wrong_token_is_401(client, backend, headers):
    hid = new_handoff(backend)
    for method, path in (("GET", "/api/handoffs"), ("GET", f"/api/handoffs/{hid}"),
                         ("POST", f"/api/handoffs/{hid}/claim"), ("POST", f"/api/handoffs/{hid}/resolve"),
                         ("POST", f"/api/handoffs/{hid}/messages")):
        response = await client.request(method, path, headers=headers, json={"agent": "x", "text": "y"})
        assert response.status == 401, (method, path)
        assert (await response.json())["error"] == "unauthorized"
    assert backend.get_handoff(hid)["status"] == "queued"  # nothing changed


async def test_api_accepts_the_token_or_a_session(client):
    assert (await client.get("/api/handoffs", headers=AUTH)).status == 200
    await login(client)
    assert (await client.get("/api/handoffs")).status == 200


async def test_session_posts_to_the_api_need_the_csrf_header(client, backend):
    hid = new_handoff(backend)
    csrf = await login(client)
    response = await client.post(f"/api/handoffs/{hid}/claim")
    assert response.status == 403 and "X-CSRF-Token" in (await response.json())["message"]
    response = await client.post(f"/api/handoffs/{hid}/claim", headers={"X-CSRF-Token": csrf})
    assert response.status == 200 and (await response.json())["agent"] == AGENT


async def test_without_a_configured_token_the_api_is_session_only(backend):
    app = create_app(make_config(api_token=None), service=backend)
    async with TestClient(TestServer(app)) as test_client:
        assert (await test_client.get("/api/handoffs", headers={"Authorization": "Bearer "})).status == 401
        assert (await test_client.get("/api/handoffs", headers={"Authorization": "Bearer None"})).status == 401


async def test_health_is_public_and_pages_carry_security_headers(client):
    response = await client.get("/health")
    assert response.status == 200 and (await response.json()) == {"status": "ok"}
    page = await client.get("/login")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
