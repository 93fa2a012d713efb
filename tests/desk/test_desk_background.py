"""The desk's push of agent replies to the widget channel, against a small local server."""
from __future__ import annotations

from aiohttp import web

from bot.desk.background import socketio_push_hook
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture


async def test_push_posts_with_the_token_and_reports_the_channel_answer():
    seen = {}

    async def handoff_push(request: web.Request) -> web.Response:
        seen["auth"] = request.headers.get("Authorization")
        seen["body"] = await request.json()
        return web.json_response({"pushed": True})

    app = web.Application()
    app.router.add_post("/webhooks/socketio/handoff_push", handoff_push)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        push = socketio_push_hook(f"http://127.0.0.1:{port}", "t0ken")
        assert await push("conv-9", "sam (from our team): hi") is True
    finally:
        await runner.cleanup()
    assert seen == {"auth": "Bearer t0ken", "body": {"conversation_id": "conv-9", "text": "sam (from our team): hi"}}


async def test_push_to_a_server_that_is_down_leaves_the_reply_for_later():
    push = socketio_push_hook("http://127.0.0.1:9", "t0ken")  # nothing listens on port 9
    assert await push("conv-9", "hello") is False


async def test_the_minute_job_returns_unclaimed_handoffs_and_pushes_the_apology_to_the_widget(
        handoff_db, monkeypatch):
    from bot.desk.background import end_stale_handoffs
    from bot.desk.keys import ON_AGENT_MESSAGE
    from bot.handoff import policy as hp
    from bot.handoff import service as hs

    widget = hs.create_handoff("sid-1", "socketio", [], hp.ASKED).id
    rest = hs.create_handoff("rest-1", "rest", [], hp.ASKED).id
    pushed = []

    async def push(conversation_id, text):
        pushed.append((conversation_id, text))
        return True

    app = web.Application()
    app[ON_AGENT_MESSAGE] = push
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T21:30:00")  # 90 minutes after they were queued
    assert await end_stale_handoffs(app) == 2
    assert [c for c, _ in pushed] == ["sid-1"]  # only the widget can be pushed to
    assert hs.take_undelivered_agent_messages("sid-1") == []  # delivered by the push
    assert "nobody from our team" in hs.take_undelivered_agent_messages("rest-1")[0]  # waits for them
    assert {hs.get_handoff(i)["status"] for i in (widget, rest)} == {"expired"}
