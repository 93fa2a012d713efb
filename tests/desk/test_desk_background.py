"""The desk's push of messages from the team through the Rasa servers, against small local servers
playing them, and its minute job."""
from __future__ import annotations

from typing import Dict, List

from aiohttp import web

from bot.desk.reply_push import PushResult, channel_push_hook, rasa_urls
from bot.handoff.replies import Reply
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture

REPLY = Reply(7, "telegram:42", "telegram", "sam (from our team): hi")


async def rasa_stand_in(answer: Dict, status: int = 200, seen: List = None):
    """A server answering every push with `answer`; returns (runner, base URL)."""
    async def handoff_push(request: web.Request) -> web.Response:
        if seen is not None:
            seen.append((request.path, request.headers.get("Authorization"), await request.json()))
        return web.json_response(answer, status=status)

    app = web.Application()
    app.router.add_post("/webhooks/{channel}/handoff_push", handoff_push)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"


async def test_push_posts_to_the_channel_of_the_conversation_with_the_token():
    seen: List = []
    runner, base = await rasa_stand_in({"pushed": True}, seen=seen)
    try:
        assert await channel_push_hook([base], "t0ken")(REPLY) == PushResult(True)
    finally:
        await runner.cleanup()
    assert seen == [("/webhooks/telegram/handoff_push", "Bearer t0ken",
                     {"conversation_id": "telegram:42", "text": "sam (from our team): hi", "message_ids": [7]})]


async def test_each_replica_is_asked_until_one_has_the_widget():
    first, second = [], []
    runner1, base1 = await rasa_stand_in({"pushed": False, "reason": "not_connected"}, seen=first)
    runner2, base2 = await rasa_stand_in({"pushed": True}, seen=second)
    try:
        widget = Reply(8, "abc", "socketio", "hi")
        assert (await channel_push_hook([base1, base2], "t")(widget)).delivered
    finally:
        await runner1.cleanup()
        await runner2.cleanup()
    assert len(first) == 1 and len(second) == 1


async def test_a_closed_widget_waits_and_a_refused_or_unreachable_push_fails():
    closed, base = await rasa_stand_in({"pushed": False, "reason": "not_connected"})
    refused, refusing = await rasa_stand_in({"pushed": False, "error": "telegram did not take it: chat not found"},
                                            status=502)
    try:
        waiting = await channel_push_hook([base], "t")(Reply(1, "abc", "socketio", "hi"))
        failed = await channel_push_hook([refusing], "t")(REPLY)
    finally:
        await closed.cleanup()
        await refused.cleanup()
    down = await channel_push_hook(["http://127.0.0.1:9"], "t")(REPLY)  # nothing listens on port 9
    assert not waiting.delivered and not waiting.failed and "window is closed" in waiting.error
    assert failed == PushResult(False, "telegram did not take it: chat not found", failed=True)
    assert not down.delivered and down.failed and "cannot reach the Rasa server at http://127.0.0.1:9" in down.error


async def test_a_channel_the_server_does_not_serve_is_named():
    runner, base = await rasa_stand_in({}, status=404)
    try:
        result = await channel_push_hook([base], "t")(Reply(1, "slack:U1", "slack", "hi"))
    finally:
        await runner.cleanup()
    assert result.failed and f"the Rasa server at {base} does not serve the slack channel" == result.error


def test_the_replicas_come_from_shop_rasa_urls_or_shop_rasa_url():
    assert rasa_urls({"SHOP_RASA_URLS": "http://a:5005/, http://b:5005"}) == ["http://a:5005", "http://b:5005"]
    assert rasa_urls({"SHOP_RASA_URL": "http://one:5005"}) == ["http://one:5005"]
    assert rasa_urls({}) == ["http://localhost:5005"]


async def test_the_minute_job_returns_unclaimed_handoffs_and_pushes_the_apology(handoff_db, monkeypatch):
    from bot.desk.background import end_stale_handoffs
    from bot.desk.keys import ON_AGENT_MESSAGE, SERVICE
    from bot.desk.service import DeskService
    from bot.handoff import policy as hp
    from bot.handoff import service as hs

    telegram = hs.create_handoff("telegram:77", "telegram", [], hp.ASKED).id
    rest = hs.create_handoff("rest-1", "rest", [], hp.ASKED).id
    pushed = []

    async def push(reply):
        pushed.append((reply.conversation_id, reply.text))
        return PushResult(True)

    app = web.Application()
    app[ON_AGENT_MESSAGE] = push
    app[SERVICE] = DeskService()
    monkeypatch.setenv("SHOP_NOW", "2026-11-23T21:30:00")  # 90 minutes after they were queued
    assert await end_stale_handoffs(app) == 2
    assert [c for c, _ in pushed] == ["telegram:77"]  # REST cannot be pushed to
    assert "nobody from our team" in pushed[0][1]
    assert hs.take_undelivered_agent_messages("telegram:77") == []  # delivered by the push
    assert "nobody from our team" in hs.take_undelivered_agent_messages("rest-1")[0]  # waits for them
    assert {hs.get_handoff(i)["status"] for i in (telegram, rest)} == {"expired"}


async def test_a_messaging_reply_goes_through_one_replica_only_once_one_answered():
    first, second = [], []
    refused, base1 = await rasa_stand_in({"pushed": False, "error": "telegram did not take it"}, status=502,
                                         seen=first)
    other, base2 = await rasa_stand_in({"pushed": True}, seen=second)
    try:
        result = await channel_push_hook([base1, base2], "t")(REPLY)
        # a replica that is down is skipped: the next one sends it
        through_second = await channel_push_hook(["http://127.0.0.1:9", base2], "t")(REPLY)
    finally:
        await refused.cleanup()
        await other.cleanup()
    assert result.failed and len(first) == 1 and len(second) == 1  # not asked again after the 502
    assert through_second.delivered
