"""Alerts on the desk: the queue says how many are open, the Alerts page lists them with the
conversation, one alert shows the customer's conversation, and marking one seen is recorded;
the same over the JSON API."""
from __future__ import annotations

import json
import re

from sqlalchemy import create_engine, text

from bot.alerts import messages as am
from bot.alerts import service as alerts
from bot.core.db import session_scope
from bot.handoff import policy as hp
from tests.support.desk_support import (  # noqa: F401 - fixtures
    AGENT,
    AUTH,
    backend,
    client,
    hook_calls,
    login,
    new_handoff,
)
from tests.support.fresh_shop import FIXED_NOW


def angry(conversation="web-7"):
    with session_scope() as session:
        return alerts.raise_alert(session, am.ANGRY, alerts.Source(conversation, "socketio"),
                                  am.message_text(am.ANGRY, "this is <b>ridiculous</b>"), FIXED_NOW).id


def stored_conversation(tmp_path, monkeypatch, sender="web-7"):
    """A tracker store holding one session of the conversation."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("SHOP_TRACKER_STORE_URL", url)
    engine = create_engine(url)
    events = [{"event": "session_started", "timestamp": FIXED_NOW.timestamp() - 60},
              {"event": "user", "text": "where is my parcel, this is ridiculous", "timestamp": FIXED_NOW.timestamp() - 50,
               "parse_data": {"intent": {"name": "order_status", "confidence": 0.8}}},
              {"event": "bot", "text": "I'm sorry. Which order is it?", "timestamp": FIXED_NOW.timestamp() - 49}]
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                          "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"))
        for event in events:
            conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :t, :ts, :d)"),
                         {"s": sender, "t": event["event"], "ts": event["timestamp"], "d": json.dumps(event)})
    engine.dispose()


async def test_the_queue_counts_open_alerts_and_the_alerts_page_lists_them(client, backend):
    await login(client)
    assert 'id="open-alerts"' not in await (await client.get("/")).text()
    hid = new_handoff(backend, "c-comp", hp.COMPLAINT)  # a complaint raises one
    angry()
    queue = await (await client.get("/")).text()
    assert re.search(r'id="open-alerts".*2 open alerts', queue)
    page = await (await client.get("/alerts")).text()
    assert page.count('class="alert-row') == 2
    assert "Angry customer" in page and "Complaint" in page and f'href="/handoffs/{hid}"' in page
    assert "&lt;b&gt;ridiculous&lt;/b&gt;" in page and "<b>ridiculous" not in page  # text, never HTML


async def test_an_alert_shows_the_conversation_and_is_marked_seen_by_the_agent(client, backend, tmp_path, monkeypatch):
    stored_conversation(tmp_path, monkeypatch)
    alert_id = angry()
    csrf = await login(client)
    page = await (await client.get(f"/alerts/{alert_id}")).text()
    assert "where is my parcel, this is ridiculous" in page and "Which order is it?" in page
    assert "Mark as seen" in page
    response = await client.post(f"/alerts/{alert_id}/acknowledge", data={"csrf": csrf})
    assert response.status == 200 and response.url.path == f"/alerts/{alert_id}"
    seen = await response.text()
    assert "Mark as seen" not in seen and AGENT in seen
    assert alerts.open_count() == 0
    assert "No alerts here." in await (await client.get("/alerts")).text()
    assert f'href="/alerts/{alert_id}"' in await (await client.get("/alerts?status=all")).text()
    assert (await client.get("/alerts/999")).status == 404


async def test_marking_seen_needs_the_form_token(client, backend):
    alert_id = angry()
    await login(client)
    response = await client.post(f"/alerts/{alert_id}/acknowledge", data={"csrf": "forged"})
    assert response.status == 403 and alerts.open_count() == 1


async def test_the_alerts_api(client, backend):
    alert_id = angry()
    assert (await client.get("/api/alerts")).status == 401
    listed = await (await client.get("/api/alerts", headers=AUTH)).json()
    assert listed["open"] == 1 and [a["id"] for a in listed["alerts"]] == [alert_id]
    assert listed["alerts"][0]["kind"] == "angry" and listed["alerts"][0]["desk_path"] == f"/alerts/{alert_id}"
    assert (await client.get("/api/alerts?status=nope", headers=AUTH)).status == 400
    assert (await client.post(f"/api/alerts/{alert_id}/acknowledge", headers=AUTH, json={})).status == 400
    assert (await client.post(f"/api/alerts/{alert_id}/acknowledge", headers=AUTH,
                              json={"agent": "mallory"})).status == 403
    done = await (await client.post(f"/api/alerts/{alert_id}/acknowledge", headers=AUTH, json={"agent": AGENT})).json()
    assert done["acknowledged_by"] == AGENT and done["acknowledged_at"]
    assert (await (await client.get("/api/alerts", headers=AUTH)).json())["alerts"] == []
    assert (await client.get("/api/alerts/999", headers=AUTH)).status == 404
    assert (await (await client.get(f"/api/alerts/{alert_id}", headers=AUTH)).json())["id"] == alert_id
