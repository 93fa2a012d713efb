"""The desk's JSON API against the real handoff service on a fresh database."""
from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.desk import create_app
from bot.desk.reply_push import PushResult
from tests.support.desk_support import (  # noqa: F401 - fixtures
    AUTH,
    backend,
    client,
    hook_calls,
    make_config,
    new_handoff,
)
from tests.support.fresh_shop import FIXED_NOW


def at(monkeypatch, hhmm: str) -> None:
    monkeypatch.setenv("SHOP_NOW", FIXED_NOW.replace(hour=int(hhmm[:2]), minute=int(hhmm[3:])).isoformat())


async def test_list_is_ordered_by_priority_then_wait_and_filters_by_status(client, backend, monkeypatch):
    at(monkeypatch, "11:00")
    early_asked = new_handoff(backend, "c-asked-early", "asked_for_person")
    at(monkeypatch, "11:30")
    late_complaint = new_handoff(backend, "c-complaint", "complaint")
    late_asked = new_handoff(backend, "c-asked-late", "asked_for_person")
    done = new_handoff(backend, "c-done", "not_understood")
    backend.resolve(done, "bob")
    at(monkeypatch, "12:00")

    response = await client.get("/api/handoffs?status=queued", headers=AUTH)
    assert response.status == 200
    queued = (await response.json())["handoffs"]
    assert [h["id"] for h in queued] == [late_complaint, early_asked, late_asked]
    assert [h["waiting_minutes"] for h in queued] == [30, 60, 30]
    resolved = (await (await client.get("/api/handoffs?status=resolved", headers=AUTH)).json())["handoffs"]
    assert [h["id"] for h in resolved] == [done]
    everything = (await (await client.get("/api/handoffs", headers=AUTH)).json())["handoffs"]
    assert {h["id"] for h in everything} == {early_asked, late_complaint, late_asked, done}


async def test_unknown_status_filter_is_400(client):
    response = await client.get("/api/handoffs?status=urgent", headers=AUTH)
    assert response.status == 400 and "status must be one of" in (await response.json())["message"]


async def test_get_has_summary_transcript_and_verified_orders(client, backend):
    hid = new_handoff(backend, customer_id=1, verified=True, order_numbers=["100001"],
                      turns=(("customer", "where is 100001"), ("bot", "It is on its way."),
                             ("customer", "my card is 4111 1111 1111 1111, get me a human")))
    response = await client.get(f"/api/handoffs/{hid}", headers=AUTH)
    assert response.status == 200
    body = await response.json()
    assert body["summary"] and body["verified"] is True and body["order_numbers"] == ["100001"]
    assert [(m["sender"], m["intent"]) for m in body["transcript"]] == [
        ("customer", "human_handoff"), ("bot", None), ("customer", "human_handoff")]
    assert body["transcript"][0]["confidence"] == 0.93 and body["transcript"][0]["at"].endswith("Z")
    assert "4111 1111" not in body["transcript"][2]["text"]  # masked by the service
    assert "100001" in {o["number"] for o in body["context"]}


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("POST", "/claim"), ("POST", "/messages"),
                                            ("POST", "/resolve")])
@pytest.mark.parametrize("hid", ["999", "abc"])
async def test_unknown_handoff_is_404(client, method, suffix, hid):
    response = await client.request(method, f"/api/handoffs/{hid}{suffix}", headers=AUTH,
                                    json={"agent": "bob", "text": "hello"})
    assert response.status == 404 and (await response.json())["error"] == "not_found"


async def test_claim_then_message_then_resolve(client, backend, hook_calls):
    hid = new_handoff(backend, "conv-42", channel="socketio")
    claimed = await client.post(f"/api/handoffs/{hid}/claim", headers=AUTH, json={"agent": "bob"})
    assert claimed.status == 200
    assert ((await claimed.json())["status"], (await claimed.json())["agent"]) == ("assigned", "bob")

    sent = await client.post(f"/api/handoffs/{hid}/messages", headers=AUTH,
                             json={"agent": "bob", "text": "  Hi, I'm Bob. Let me check.  "})
    assert sent.status == 201
    body = await sent.json()
    assert body["message"]["text"] == "Hi, I'm Bob. Let me check." and body["pushed"] is False
    assert hook_calls == [("conv-42", body["message"]["customer_text"])]
    assert "Hi, I'm Bob. Let me check." in hook_calls[0][1]
    transcript = backend.get_handoff(hid)["transcript"]
    assert (transcript[-1]["sender"], transcript[-1]["agent"]) == ("agent", "bob")

    resolved = await client.post(f"/api/handoffs/{hid}/resolve", headers=AUTH, json={"agent": "bob"})
    assert resolved.status == 200 and (await resolved.json())["status"] == "resolved"
    assert backend.get_handoff(hid)["status"] == "resolved"


async def test_customer_messages_show_up_in_the_api(client, backend):
    hid = new_handoff(backend, "conv-7")
    backend.add_customer_message("conv-7", "are you still there?", "affirm", 0.5)
    transcript = (await (await client.get(f"/api/handoffs/{hid}", headers=AUTH)).json())["transcript"]
    assert (transcript[-1]["sender"], transcript[-1]["text"]) == ("customer", "are you still there?")


async def test_wrong_state_is_409(client, backend):
    hid = new_handoff(backend)
    await client.post(f"/api/handoffs/{hid}/claim", headers=AUTH, json={"agent": "bob"})
    taken = await client.post(f"/api/handoffs/{hid}/claim", headers=AUTH, json={"agent": "alice"})
    assert taken.status == 409 and "assigned to bob" in (await taken.json())["message"]
    not_hers = await client.post(f"/api/handoffs/{hid}/messages", headers=AUTH, json={"agent": "alice", "text": "hi"})
    assert not_hers.status == 409
    await client.post(f"/api/handoffs/{hid}/resolve", headers=AUTH, json={"agent": "bob"})
    for suffix, body in (("/resolve", {"agent": "bob"}), ("/claim", {"agent": "bob"}),
                         ("/messages", {"agent": "bob", "text": "one more thing"})):
        response = await client.post(f"/api/handoffs/{hid}{suffix}", headers=AUTH, json=body)
        assert response.status == 409, suffix
        assert "already resolved" in (await response.json())["message"]


@pytest.mark.parametrize("body, code, message", [
    ("{not json", "bad_json", "not valid JSON"),
    ("[1, 2]", "bad_json", "must be a JSON object"),
    ('{"agent": "bob"}', "text_required", "text is empty"),
    ('{"agent": "bob", "text": "   "}', "text_required", "text is empty"),
    ('{"agent": "bob", "text": 42}', "text_required", "text is empty"),
    ('{"text": "hello"}', "agent_required", "Name the agent"),
    ('{"agent": "", "text": "hello"}', "agent_required", "Name the agent"),
])
async def test_bad_message_bodies_are_400_with_a_clear_message(client, backend, body, code, message):
    hid = new_handoff(backend)
    response = await client.post(f"/api/handoffs/{hid}/messages", headers={**AUTH, "Content-Type": "application/json"},
                                 data=body)
    assert response.status == 400
    answer = await response.json()
    assert answer["error"] == code and message in answer["message"]
    assert len(backend.get_handoff(hid)["transcript"]) == 3  # nothing stored


async def test_overlong_message_is_400(client, backend):
    hid = new_handoff(backend)
    response = await client.post(f"/api/handoffs/{hid}/messages", headers=AUTH, json={"agent": "bob", "text": "x" * 4001})
    assert response.status == 400 and (await response.json())["error"] == "text_too_long"


async def test_claim_with_the_token_must_name_the_agent(client, backend):
    hid = new_handoff(backend)
    response = await client.post(f"/api/handoffs/{hid}/claim", headers=AUTH)
    assert response.status == 400 and (await response.json())["error"] == "agent_required"
    bad = await client.post(f"/api/handoffs/{hid}/claim", headers={**AUTH, "Content-Type": "application/json"},
                            data="{oops")
    assert bad.status == 400 and (await bad.json())["error"] == "bad_json"
    assert backend.get_handoff(hid)["status"] == "queued"


async def test_a_hook_that_pushed_marks_the_message_delivered(backend):
    pushed = []

    async def push(reply) -> PushResult:
        pushed.append(reply.conversation_id)
        return PushResult(True)

    hid = new_handoff(backend, "conv-push", channel="socketio")
    async with TestClient(TestServer(create_app(make_config(), service=backend, on_agent_message=push))) as c:
        response = await c.post(f"/api/handoffs/{hid}/messages", headers=AUTH, json={"agent": "bob", "text": "hi"})
        answer = await response.json()
        assert response.status == 201 and answer["pushed"] is True
        assert answer["message"]["delivery"]["status"] == "delivered"
    assert pushed == ["conv-push"]
    assert backend.get_handoff(hid)["transcript"][-1]["delivered_at"] is not None
    assert backend.take_undelivered_agent_messages("conv-push") == []


async def test_a_failing_hook_keeps_the_message_for_the_next_customer_turn(backend):
    async def broken(reply) -> PushResult:
        raise ConnectionError("socket gone")

    hid = new_handoff(backend, "conv-broken", channel="telegram")
    async with TestClient(TestServer(create_app(make_config(), service=backend, on_agent_message=broken))) as c:
        response = await c.post(f"/api/handoffs/{hid}/messages", headers=AUTH, json={"agent": "bob", "text": "hi"})
        answer = await response.json()
        assert response.status == 201 and answer["pushed"] is False
        assert answer["message"]["delivery"] == {"status": "failed", "attempts": 1,
                                                 "detail": "the push failed: socket gone"}
    (line,) = [m for m in backend.get_handoff(hid)["transcript"] if m["sender"] == "agent"]
    assert line["delivery"]["status"] == "failed" and line["delivered_at"] is None
    assert len(backend.take_undelivered_agent_messages("conv-broken")) == 1


async def test_a_broken_database_is_a_short_500_not_a_traceback(client, monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_DATABASE_URL", f"sqlite:///{tmp_path}/missing-dir/shop.db")
    response = await client.get("/api/handoffs", headers=AUTH)
    assert response.status == 500
    body = await response.json()
    assert body["error"] == "internal" and "Traceback" not in body["message"]


@pytest.mark.parametrize("action, body", [
    ("/claim", {"agent": "mallory"}),
    ("/messages", {"agent": "mallory", "text": "Your refund is approved, send your card number"}),
    ("/resolve", {"agent": "mallory"}),
])
async def test_a_token_caller_can_only_act_as_an_agent_of_the_agents_file(client, backend, action, body):
    """Before, any name was accepted, so the audit trail could be forged."""
    hid = new_handoff(backend)
    response = await client.post(f"/api/handoffs/{hid}{action}", headers=AUTH, json=body)
    assert response.status == 403 and (await response.json())["error"] == "unknown_agent"
    detail = await (await client.get(f"/api/handoffs/{hid}", headers=AUTH)).json()
    assert detail["status"] == "queued" and detail["agent"] is None
    assert all(m["sender"] != "agent" for m in detail["transcript"])


async def test_the_support_summary_is_there_for_tools_with_the_token(client, backend):
    from bot.reports.outcomes import record

    at_ = 1_780_000_000.0  # 2026-05-28 UTC
    record("c-sum", [{"event": "session_started", "timestamp": at_},
                     {"event": "user", "timestamp": at_ + 1, "input_channel": "rest",
                      "parse_data": {"intent": {"name": "faq"}}},
                     {"event": "action", "name": "utter_faq", "timestamp": at_ + 2}])
    response = await client.get("/api/reports/summary?from=2026-05-28&to=2026-05-28", headers=AUTH)
    assert response.status == 200
    body = await response.json()
    assert body["conversations"] == 1 and body["containment_rate"] == 1.0 and body["handoff_rate"] == 0.0
    assert {"fallback_rate", "csat_average", "csat_responses", "nps", "ces_average"} <= set(body)
    bad = await client.get("/api/reports/summary?from=2026-05-29&to=2026-05-28", headers=AUTH)
    assert bad.status == 400 and (await bad.json())["message"] == "From must not be after to."
    assert (await client.get("/api/reports/summary")).status == 401
