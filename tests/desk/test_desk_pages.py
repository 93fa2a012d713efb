"""The agents' HTML pages: queue, handoff view, and the claim / reply / resolve forms."""
from __future__ import annotations

import re

from tests.support.desk_support import (  # noqa: F401 - fixtures
    AGENT,
    AUTH,
    OTHER_AGENT,
    OTHER_PASSWORD,
    backend,
    client,
    hook_calls,
    login,
    new_handoff,
)
from tests.support.fresh_shop import FIXED_NOW


def row_of(html: str, handoff_id: int) -> str:
    start = html.index(f'<tr><td><a href="/handoffs/{handoff_id}"')
    return html[start:html.index("</tr>", start)]


async def test_queue_lists_open_handoffs_with_reason_wait_customer_and_verified_flag(client, backend, monkeypatch):
    monkeypatch.setenv("SHOP_NOW", FIXED_NOW.replace(hour=10, minute=45).isoformat())
    anonymous = new_handoff(backend, "c-anon", "not_understood")
    verified = new_handoff(backend, "c-maria", "complaint", customer_id=1, verified=True)
    closed = new_handoff(backend, "c-closed", "asked_for_person")
    backend.resolve(closed, "bob")
    monkeypatch.setenv("SHOP_NOW", FIXED_NOW.isoformat())
    await login(client)
    html = await (await client.get("/")).text()
    rows = re.findall(r"<tr><td><a href=\"/handoffs/(\d+)\">.*?</tr>", html)
    assert rows == [str(verified), str(anonymous)]  # complaint first; resolved ones are not open
    row = row_of(html, verified)
    assert "queued" in row and "the customer is upset or complaining" in row
    assert "1 h 15 min" in row and "maria.gonzalez@example.com" in row
    assert '<span class="verified">verified</span>' in row and "not verified" not in row
    assert "not verified" in row_of(html, anonymous) and "unknown" in row_of(html, anonymous)
    resolved = await (await client.get("/?status=resolved")).text()
    assert f'href="/handoffs/{closed}"' in resolved and f'href="/handoffs/{verified}"' not in resolved


async def test_handoff_view_shows_summary_orders_and_transcript(client, backend):
    hid = new_handoff(backend, "c-1", "complaint", customer_id=1, verified=True, order_numbers=["100001"],
                      turns=(("customer", "where is order 100001?"), ("bot", "It ships <b>today</b>."),
                             ("customer", "not good enough, I want a person")))
    await login(client)
    html = await (await client.get(f"/handoffs/{hid}")).text()
    assert "Handed off: the customer is upset or complaining." in html  # summary
    assert "<td>100001</td><td>shipped</td><td>$143.95</td>" in html  # verified orders
    assert html.count('class="from-customer"') == 2 and html.count('class="from-bot"') == 1
    assert "intent human_handoff 93%" in html
    # 11:40 UTC is 03:40 in the shop's time zone (America/Los_Angeles in these tests)
    assert '<time datetime="2026-11-23T11:40:00Z">Mon 23 Nov, 03:40</time>' in html
    assert "&lt;b&gt;today&lt;/b&gt;" in html and "<b>today</b>" not in html  # escaped
    assert 'action="/handoffs/%d/claim"' % hid in html and 'action="/handoffs/%d/resolve"' % hid in html
    assert 'id="reply"' in html and "Sending a reply claims this handoff." in html
    assert 'data-poll="2"' in html and '<script src="/desk.js" defer></script>' in html
    assert 'aria-live="polite"' in html and '<label for="reply-text">' in html


async def test_unknown_handoff_page_is_404(client):
    await login(client)
    response = await client.get("/handoffs/404")
    assert response.status == 404 and "Handoff not found" in await response.text()


async def test_claim_reply_and_resolve_through_the_forms(client, backend, hook_calls):
    hid = new_handoff(backend, "c-forms", channel="socketio")
    csrf = await login(client)
    claimed = await client.post(f"/handoffs/{hid}/claim", data={"csrf": csrf})
    assert claimed.status == 200 and claimed.url.path == f"/handoffs/{hid}"
    assert backend.get_handoff(hid)["agent"] == AGENT
    assert 'action="/handoffs/%d/claim"' % hid not in await claimed.text()

    replied = await client.post(f"/handoffs/{hid}/messages", data={"csrf": csrf, "text": "Hello, Alice here."})
    assert replied.status == 200 and "Hello, Alice here." in await replied.text()
    assert hook_calls and hook_calls[0][0] == "c-forms"
    empty = await client.post(f"/handoffs/{hid}/messages", data={"csrf": csrf, "text": "  "})
    assert empty.status == 400 and "Write a message" in await empty.text()

    resolved = await client.post(f"/handoffs/{hid}/resolve", data={"csrf": csrf})
    assert resolved.status == 200 and backend.get_handoff(hid)["status"] == "resolved"
    html = await resolved.text()
    assert 'id="reply"' not in html and "/claim" not in html and "/resolve" not in html


async def test_forms_without_the_csrf_token_change_nothing(client, backend):
    hid = new_handoff(backend)
    await login(client)
    for action in ("claim", "resolve", "messages"):
        response = await client.post(f"/handoffs/{hid}/{action}", data={"csrf": "f" * 64, "text": "hi"})
        assert response.status == 403
    assert backend.get_handoff(hid)["status"] == "queued"


async def test_claiming_what_another_agent_took_explains_why(client, backend):
    hid = new_handoff(backend)
    backend.claim(hid, OTHER_AGENT)
    csrf = await login(client)
    response = await client.post(f"/handoffs/{hid}/claim", data={"csrf": csrf})
    html = await response.text()
    assert response.status == 409 and f"already assigned to {OTHER_AGENT}" in html
    assert 'id="reply"' not in html and f"{OTHER_AGENT} is working on this handoff" in html


async def test_the_page_script_posts_replies_and_polls_the_api(client):
    script = await client.get("/desk.js")
    text = await script.text()
    assert script.status == 200 and script.content_type == "application/javascript"
    assert '"X-CSRF-Token": csrf' in text and '"/api/handoffs/"' in text and "setInterval(refresh" in text
    assert ".textContent" in text and ".innerHTML" not in text  # messages are never parsed as HTML
    css = await client.get("/desk.css")
    assert css.status == 200 and css.content_type == "text/css"


async def test_the_pages_own_fetch_sends_and_sees_new_customer_messages(client, backend):
    hid = new_handoff(backend, "c-live")
    await login(client)
    page = await (await client.get(f"/handoffs/{hid}")).text()
    csrf = re.search(r'name="csrf-token" content="(\w+)"', page).group(1)
    sent = await client.post(f"/api/handoffs/{hid}/messages", json={"text": "On it!"},
                             headers={"X-CSRF-Token": csrf})
    assert sent.status == 201 and (await sent.json())["message"]["agent"] == AGENT
    backend.add_customer_message("c-live", "thanks!")
    polled = await (await client.get(f"/api/handoffs/{hid}")).json()
    assert [(m["sender"], m["text"]) for m in polled["transcript"][-2:]] == [
        ("agent", "On it!"), ("customer", "thanks!")]
    assert polled["status"] == "assigned"  # replying to a queued handoff claimed it


async def test_other_agent_logs_in_separately(client):
    await login(client, OTHER_AGENT, OTHER_PASSWORD)
    assert f"<span>{OTHER_AGENT}</span>" in await (await client.get("/")).text()


def add_surveys(at_: float, answers) -> None:
    """Survey rows of sessions started at `at_`: (conversation, channel, {column: value})."""
    from datetime import datetime

    from bot.core import settings
    from bot.core.db import engine_with_table, session_scope
    from bot.core.models import Survey

    started = datetime.utcfromtimestamp(at_)
    with session_scope(engine_with_table(settings.database_url(), Survey.__tablename__)) as session:
        for conversation, channel, values in answers:
            session.add(Survey(conversation_id=conversation, session_started_at=started, trigger="assistant",
                               channel=channel, steps="[]", step=None, asked_at=started, updated_at=started,
                               **values))


async def test_the_reports_page_shows_the_summary_s_figures_and_exports_them(client, backend):
    from bot.reports.outcomes import record

    at_ = 1_780_000_000.0  # 2026-05-28 UTC
    for name, channel, action in (("r1", "rest", "utter_faq"), ("r2", "socketio", "action_handoff"),
                                  ("r3", "socketio", "utter_faq")):
        record(name, [{"event": "session_started", "timestamp": at_},
                      {"event": "user", "timestamp": at_ + 1, "input_channel": channel},
                      {"event": "action", "name": action, "timestamp": at_ + 2}])
    add_surveys(at_, [("r1", "rest", {"csat": 5, "nps": 10}), ("r2", "socketio", {"csat": 4, "ces": 6}),
                      ("r3", "socketio", {"csat": 2, "comment": "slow"})])
    await login(client)
    query = "from=2026-05-28&to=2026-05-28"
    page = await (await client.get(f"/reports?{query}")).text()
    summary = await (await client.get(f"/api/reports/summary?{query}", headers=AUTH)).json()
    assert summary["conversations"] == 3
    assert '<div class="tile" data-key="conversations"><span class="meta">Conversations</span><strong>3</strong>' in page
    assert "66.7 %" in page and "33.3 %" in page  # containment and handoff rates, as in the JSON
    assert (summary["containment_rate"], summary["handoff_rate"]) == (0.6667, 0.3333)
    assert 'id="chart-outcomes"' in page and page.count('class="bar"') >= 5  # 4 outcomes + 1 day
    assert 'id="chart-reasons"' in page and 'id="chart-hours"' in page and 'id="chart-topics"' in page
    assert 'id="chart-resolved-by"' in page
    assert '<title>20:00 UTC: 3</title>' in page  # the three sessions started at 20:26 UTC
    assert "share of 4 and 5" in page  # the definitions are on the page
    assert (summary["csat"], summary["csat_average"], summary["ces_average"], summary["nps"]) == (0.6667, 3.67, 6.0, 100)
    for key, shown in (("csat", "66.7 %"), ("csat_average", "3.67 / 5"), ("ces_average", "6 / 7"), ("nps", "100")):
        assert f'data-key="{key}"><span class="meta">' in page and f"<strong>{shown}</strong>" in page
    assert '<title>5: 1</title>' in page and 'id="chart-csat"' in page and 'id="chart-nps"' in page
    socketio = await (await client.get(f"/reports?{query}&channel=socketio")).text()
    assert '<strong>2</strong>' in socketio and '<option value="socketio" selected>' in socketio
    export = await client.get(f"/reports.csv?{query}")
    assert export.headers["Content-Disposition"].startswith("attachment")
    assert (await export.text()).splitlines() == [
        "date,conversations,resolved,handed_over,not_understood,abandoned,"
        "csat,csat_responses,ces_average,ces_responses,nps,nps_responses",
        "2026-05-28,3,2,1,0,0,0.6667,3,6.0,1,100.0,1", "total,3,2,1,0,0,0.6667,3,6.0,1,100.0,1"]
    bad = await (await client.get("/reports?from=2026-05-29&to=2026-05-01")).text()
    assert "From must not be after to: showing the last 30 days." in bad


async def test_the_reports_page_needs_a_login(client):
    response = await client.get("/reports", allow_redirects=False)
    assert response.status in (302, 303) and "/login" in response.headers["Location"]
