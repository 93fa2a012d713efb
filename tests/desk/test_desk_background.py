"""The desk's push of agent replies to the widget channel, against a small local server."""
from __future__ import annotations

from aiohttp import web

from bot.desk.background import socketio_push_hook


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
