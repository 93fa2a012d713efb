"""Alerts: raised with their cause, quiet when they repeat, counted across customers for one
problem, and passed on to the on-call webhook and email once."""
from __future__ import annotations

import email
import email.policy
import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.alerts import messages as am
from bot.alerts import service as alerts
from bot.alerts.anger import sounds_angry
from bot.claims import service as claims
from bot.core.db import engine_for, session_scope
from bot.core.models import Alert, OutboxMessage
from bot.handoff import alert_outbox, outbox
from bot.handoff import policy as hp
from bot.handoff import service as hs
from bot.profile.shop_profile import load_profile
from bot.reports.outcomes import record
from tests.handoff.test_outbox import smtp_server  # noqa: F401 - fixture
from tests.reports.test_outcomes import DAY, start
from tests.support.fresh_shop import FIXED_NOW, profile_with
from tests.support.handoff_fixtures import handoff_db  # noqa: F401 - fixture

POLICY = load_profile().alerts
NOW = datetime(2026, 11, 23, 20, 0)
WORDS = POLICY.angry_words


def says(text, intent="faq", at=DAY + 1):
    return {"event": "user", "text": text, "timestamp": at, "input_channel": "socketio",
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def raise_one(kind=am.LATE_PARCEL, conversation="c1", email_=None, at=NOW, problem="late_parcel:UPS", policy=POLICY):
    with session_scope() as session:
        made = alerts.raise_alert(session, kind, alerts.Source(conversation, "rest", customer_email=email_),
                                  "text", at, problem=problem, policy=policy)
        return made.id if made else None


def kinds(url):
    with session_scope(engine_for(url)) as session:
        return [(a.kind, a.conversation_id) for a in session.execute(select(Alert).order_by(Alert.id)).scalars()]


@pytest.mark.parametrize("text", [
    "this is the WORST service", "I'm fed up   with waiting", "you are a bunch of scammers",
    "I will file a chargeback", "WHERE IS MY ORDER I PAID TWO WEEKS AGO"])
def test_angry_messages(text):
    assert sounds_angry(text, WORDS)


@pytest.mark.parametrize("text", [
    "where is my order 100001?", "the scampi recipe was great", "UPS 1Z999AA10123456784",
    "/inform{\"order_number\": \"worst\"}", "", "OK THANKS"])
def test_calm_messages(text):
    assert not sounds_angry(text, WORDS)


def test_an_alert_is_quiet_when_it_repeats_in_the_conversation_and_the_profile_can_turn_kinds_off(handoff_db):
    assert raise_one(am.LOW_CSAT, problem=None) is not None
    assert raise_one(am.LOW_CSAT, problem=None, at=NOW + timedelta(minutes=59)) is None
    assert raise_one(am.LOW_CSAT, problem=None, at=NOW + timedelta(minutes=61)) is not None
    assert raise_one(am.LOW_CSAT, "c2", problem=None) is not None  # another conversation
    off = replace(POLICY, low_csat_at_most=0, parcels=("lost",))
    assert raise_one(am.LOW_CSAT, "c3", problem=None, policy=off) is None
    assert raise_one(am.LATE_PARCEL, "c3", policy=off) is None
    assert raise_one(am.LOST_PARCEL, "c3", policy=off) is not None
    assert [k for k, _ in kinds(handoff_db)] == ["low_csat", "low_csat", "low_csat", "lost_parcel"]


def test_three_customers_with_the_same_problem_within_the_hour_raise_one_more_alert(handoff_db):
    raise_one(conversation="a", email_="a@example.com")
    raise_one(conversation="a2", email_="a@example.com", at=NOW + timedelta(minutes=5))  # the same customer
    raise_one(conversation="b", problem="late_parcel:FedEx", at=NOW + timedelta(minutes=6))  # another carrier
    assert "repeated_problem" not in [k for k, _ in kinds(handoff_db)]
    raise_one(conversation="c", at=NOW + timedelta(minutes=10))
    assert "repeated_problem" not in [k for k, _ in kinds(handoff_db)]
    raise_one(conversation="d", at=NOW + timedelta(minutes=20))
    raise_one(conversation="e", at=NOW + timedelta(minutes=30))  # a fourth: the same alert stands
    repeated = [c for k, c in kinds(handoff_db) if k == "repeated_problem"]
    assert repeated == ["d"]
    (alert,) = [a for a in alerts.list_alerts(alerts.ALL) if a["kind"] == "repeated_problem"]
    assert alert["text"].startswith("3 customers reported late parcels with UPS within 60 minutes")
    assert alert["details"]["conversations"] == ["a", "a2", "c", "d"]
    later = NOW + timedelta(minutes=200)  # a new window: the earlier reports no longer count
    for n, conversation in enumerate("fgh"):
        raise_one(conversation=conversation, at=later + timedelta(minutes=n))
    assert [c for k, c in kinds(handoff_db) if k == "repeated_problem"] == ["d", "h"]


def test_a_late_or_lost_parcel_the_customer_reports_raises_an_alert_per_carrier(handoff_db):
    source = alerts.Source("conv-5", "socketio")
    assert claims.missing_package_answer("100005", FIXED_NOW, profile_with(), reported_by=source).claimable
    patient = profile_with(claims={"lost_after_days_late": 10, "lost_after_days_without_scan": 20})
    claims.missing_package_answer("100005", FIXED_NOW, patient, reported_by=alerts.Source("conv-6"))
    claims.missing_package_answer("100001", FIXED_NOW, profile_with(), reported_by=alerts.Source("conv-7"))  # on time
    claims.missing_package_answer("100005", FIXED_NOW, profile_with())  # no conversation named: nothing
    found = {a["conversation_id"]: a for a in alerts.list_alerts(alerts.ALL)}
    assert sorted(found) == ["conv-5", "conv-6"]
    lost, late = found["conv-5"], found["conv-6"]
    assert (lost["kind"], lost["problem"], lost["order_number"]) == ("lost_parcel", "lost_parcel:USPS", "100005")
    assert lost["customer_email"] and lost["channel"] == "socketio"
    assert late["kind"] == "late_parcel" and "order 100005 with USPS has not arrived: it is late, 4 days late" in late["text"]


def test_an_abusive_or_angry_message_raises_an_alert_as_it_is_saved(handoff_db):
    engine = engine_for(handoff_db)
    record("calm", start(DAY) + [says("where is my order?", "order_status")], engine)
    record("rude", start(DAY) + [says("you idiots", "insult")], engine)
    record("angry", start(DAY) + [says("This is RIDICULOUS, three weeks!", "order_status")], engine)
    record("angry", [says("still ridiculous", "order_status", DAY + 5)], engine)  # quiet: one per hour
    assert kinds(handoff_db) == [("abusive", "rude"), ("angry", "angry")]
    (angry,) = [a for a in alerts.list_alerts() if a["kind"] == "angry"]
    assert angry["text"] == "An angry message from the customer: \u201cThis is RIDICULOUS, three weeks!\u201d"
    assert angry["channel"] == "socketio"


def test_an_angry_complaint_has_its_complaint_alert_only(handoff_db):
    hs.create_handoff("comp", "rest", [], hp.COMPLAINT)
    record("comp", start(DAY) + [says("worst service ever, I want to complain", "complaint")], engine_for(handoff_db))
    assert kinds(handoff_db) == [("complaint", "comp")]


def test_new_alerts_go_to_the_webhook_and_the_email_once(handoff_db, smtp_server, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SHOP_ALERT_WEBHOOK_URL", "https://oncall.example.com/alerts")
    monkeypatch.setenv("SHOP_ALERT_EMAIL_TO", "oncall@example-shop.com")
    alert_id = raise_one(am.LOST_PARCEL, "conv-9", "maria@example.com", problem="lost_parcel:USPS")
    assert alert_outbox.pass_on_raised(NOW) == 1
    assert alert_outbox.pass_on_raised(NOW) == 0
    with session_scope() as session:
        rows = session.execute(select(OutboxMessage.kind, OutboxMessage.payload)).all()
        assert session.get(Alert, alert_id).notified_at == NOW
    assert sorted(kind.value for kind, _ in rows) == ["email", "webhook"]
    report = outbox.deliver_due(NOW)  # the email is sent (the https webhook has no secret: it waits)
    assert report.delivered == 1
    assert smtp_server.recipients == ["<oncall@example-shop.com>"]
    message = email.message_from_bytes(smtp_server.messages[0], policy=email.policy.default)
    assert message["Subject"] == "Alert: Lost parcel"
    body = message.get_body().get_content()
    assert "text" in body and f"Alert: /alerts/{alert_id}" in body and "Customer: maria@example.com" in body
    webhook = json.loads(next(json.loads(p)["body"] for k, p in rows if k.value == "webhook"))
    assert webhook["alert"]["kind"] == "lost_parcel" and webhook["alert"]["link"] == f"/alerts/{alert_id}"


def test_acknowledging_keeps_the_first_agent(handoff_db):
    alert_id = raise_one()
    assert alerts.open_count() == 1
    assert alerts.acknowledge(alert_id, "sam", NOW)["acknowledged_by"] == "sam"
    assert alerts.acknowledge(alert_id, "kim", NOW + timedelta(minutes=1))["acknowledged_by"] == "sam"
    assert alerts.open_count() == 0 and alerts.list_alerts() == [] and len(alerts.list_alerts(alerts.ALL)) == 1
    assert alerts.acknowledge(999, "sam", NOW) is None
