"""`python -m bot forget-customer EMAIL` against a real Rasa SQL tracker store and the shop
database: afterwards no row or event holds the customer's email or their messages."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, inspect, text

from bot.__main__ import main
from bot.core.db import engine_for
from bot.handoff import policy as hp
from bot.handoff import service as hs

EMAIL = "olga.petrova@example.com"  # owns reference order 100003
SECRET_WORDS = "my cat knocked the vase over, can you help"


def save(store: SQLTrackerStore, sender: str, events) -> None:
    tracker = DialogueStateTracker.from_events(sender, events, slots=Domain.empty().slots)
    asyncio.run(store.save(tracker))


@pytest.fixture
def tracker_url(tmp_path: Path) -> str:
    url_path = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(url_path))
    save(store, "olga-web", [
        ActionExecuted("action_listen"),
        UserUttered(f"where is order 100003? my email is {EMAIL}", {"name": "order_status"}),
        BotUttered("Order #100003 was delivered."),
        UserUttered(SECRET_WORDS, {"name": "human_handoff"}),
    ])
    # The same customer in another conversation, proven by ZIP only: found by her customer id.
    save(store, "olga-sms", [
        ActionExecuted("action_listen"), UserUttered("it's 60614", {"name": "inform"}),
        SlotSet("verified_customer_id", "3"), UserUttered(f"{SECRET_WORDS} (again)", {"name": "help"}),
    ])
    save(store, "someone-else", [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})])
    store.engine.dispose()
    return f"sqlite:///{url_path}"


def everything(url: str) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        dump = "\n".join(str(row) for table in inspect(engine).get_table_names()
                         for row in conn.execute(text(f"SELECT * FROM {table}")))
    engine.dispose()
    return dump.lower()


def test_forget_customer_leaves_nothing_of_their_conversations_and_handoffs(writable_shop, tracker_url, capsys,
                                                                          monkeypatch):
    from sqlalchemy import select

    from bot.core.db import session_scope
    from bot.core.models import Customer

    with session_scope(engine_for(writable_shop)) as s:
        olga = s.execute(select(Customer).where(Customer.email == EMAIL)).scalar_one()
    with engine_for(tracker_url).begin() as conn:  # the id the conversation verified
        conn.execute(text("UPDATE events SET data = replace(data, '\"3\"', :id) WHERE type_name = 'slot'"),
                     {"id": f'"{olga.id}"'})
    monkeypatch.setenv("SHOP_HANDOFF_WEBHOOK_URL", "https://helpdesk.example.com/hooks")  # an outbox row
    hs.create_handoff("olga-web", "rest", [
        {"event": "user", "text": SECRET_WORDS, "parse_data": {"intent": {"name": "human_handoff"}}}],
        hp.ASKED, customer_email=EMAIL, order_numbers=["100003"])
    assert EMAIL in everything(writable_shop) and SECRET_WORDS in everything(tracker_url)
    from bot.core.models import Survey
    from bot.reports.outcomes import record
    from bot.reports.summary import summary

    for conversation in ("olga-web", "someone-else"):
        record(conversation, [{"event": "user", "timestamp": 1_780_000_000.0}], engine_for(writable_shop))
    started = dt_utc(1_780_000_000.0)
    Survey.__table__.create(engine_for(writable_shop), checkfirst=True)
    with session_scope(engine_for(writable_shop)) as session:
        session.add(Survey(conversation_id="olga-web", session_started_at=started, trigger="assistant", steps="[]",
                           csat=2, comment="Olga here: " + SECRET_WORDS, asked_at=started, updated_at=started))
    from bot.alerts import messages as am
    from bot.alerts import service as alerts
    from bot.handoff import alert_outbox

    monkeypatch.setenv("SHOP_ALERT_WEBHOOK_URL", "https://oncall.example.com/alerts")
    with session_scope(engine_for(writable_shop)) as session:  # an angry message quoted, in her other conversation
        for conversation, words in (("olga-sms", SECRET_WORDS), ("someone-else", "useless shop")):
            alerts.raise_alert(session, am.ANGRY, alerts.Source(conversation, "twilio"),
                               am.message_text(am.ANGRY, words), started)
    assert alert_outbox.pass_on_raised() == 2

    assert main(["forget-customer", EMAIL.upper(), "--tracker-url", tracker_url]) == 0
    out = capsys.readouterr().out
    assert "2 conversation(s)" in out and "1 handoff(s)" in out and "2 outbox row(s)" in out
    assert "1 alert(s)" in out
    shop, conversations = everything(writable_shop), everything(tracker_url)
    assert SECRET_WORDS not in shop and SECRET_WORDS not in conversations
    assert EMAIL not in conversations
    # The shop's own records stay: the customer and her order.
    assert EMAIL in shop and "100003" in shop
    assert "someone-else" in conversations  # other conversations untouched
    assert shop.count("useless shop") == 2  # and their alert, with its outbox row
    assert sum(1 for a in alerts.list_alerts(alerts.ALL) if a["conversation_id"] == "someone-else") == 1
    import datetime as dt
    left = summary(dt.date(2026, 5, 28), dt.date(2026, 5, 28), engine=engine_for(writable_shop))
    assert left["conversations"] == 1  # olga's session outcome went, the other stays
    assert left["csat_responses"] == 0  # her survey went too (its comment was her words)


def dt_utc(at: float):
    import datetime as dt

    return dt.datetime.fromtimestamp(at, dt.timezone.utc).replace(tzinfo=None)


def test_an_unknown_email_removes_nothing_and_says_so(writable_shop, tracker_url, capsys):
    assert main(["forget-customer", "nobody@example.org", "--tracker-url", tracker_url]) == 0
    out = capsys.readouterr().out
    assert "not a customer of the shop" in out and "0 conversation(s)" in out
    assert main(["forget-customer", "not-an-email", "--tracker-url", tracker_url]) == 2


def test_an_underscore_in_the_email_is_not_a_wildcard(writable_shop, tracker_url, capsys):
    """LIKE reads "_" as any character: forgetting li_wei@ must not erase liXwei@'s conversation."""
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=tracker_url.removeprefix("sqlite:///"))
    save(store, "lookalike", [ActionExecuted("action_listen"),
                              UserUttered("my email is lixwei@example.org", {"name": "inform"})])
    save(store, "the-one", [ActionExecuted("action_listen"),
                            UserUttered("my email is li_wei@example.org", {"name": "inform"})])
    store.engine.dispose()
    assert main(["forget-customer", "li_wei@example.org", "--tracker-url", tracker_url]) == 0
    assert "1 conversation(s)" in capsys.readouterr().out
    left = everything(tracker_url)
    assert "lixwei@example.org" in left and "li_wei@example.org" not in left
