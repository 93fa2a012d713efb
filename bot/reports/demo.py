"""A few weeks of made-up conversation outcomes and survey answers for the demo shop, so the
desk's Reports page has something to show under `make run` (`python -m bot seed-demo` writes
them; tests make their own). Their conversation ids start with `demo-`; writing them again
replaces them and leaves the records of real conversations alone."""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any, Dict, List

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from bot.core.db import session_scope
from bot.core.models import ConversationOutcome, Survey
from bot.reports.outcomes import ABANDONED, HANDED_OVER, NOT_UNDERSTOOD, RESOLVED

PREFIX = "demo-"
CHANNELS = (("socketio", 62), ("whatsapp", 12), ("telegram", 9), ("facebook", 7), ("twilio", 5), ("rest", 5))
OUTCOME_WEIGHTS = ((RESOLVED, 61), (HANDED_OVER, 14), (ABANDONED, 18), (NOT_UNDERSTOOD, 7))
REQUESTS = (("order_status", "action_order_status", 38), ("faq", "utter_faq", 22),
            ("shipping_options", "action_shipping_options", 10), ("return_request", "action_create_return", 10),
            ("refund_status", "action_refund_status", 7), ("cancel_order", "action_cancel_order", 5),
            ("delivery_estimate", "action_delivery_estimate", 5), ("missing_package", "action_missing_package", 3))
#: Customers write more in the day than at night (weights per hour, UTC).
HOURS = [1, 1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 9, 9, 9, 9, 9, 10, 11, 11, 9, 6, 4, 2]


def _pick(rng: random.Random, weighted: Any) -> Any:
    return rng.choices([w[:-1] if len(w) > 2 else w[0] for w in weighted], [w[-1] for w in weighted])[0]


def demo_rows(rng: random.Random, now: datetime, days: int) -> List[Dict[str, Any]]:
    rows = []
    for back in range(days, 0, -1):
        day = (now - timedelta(days=back)).replace(hour=0, minute=0, second=0, microsecond=0)
        count = rng.randint(18, 40) if day.weekday() >= 5 else rng.randint(30, 70)
        for i in range(count):
            started = day + timedelta(hours=rng.choices(range(24), HOURS)[0], minutes=rng.randint(0, 59),
                                      seconds=rng.randint(0, 59))
            outcome = _pick(rng, OUTCOME_WEIGHTS)
            intent, action = _pick(rng, REQUESTS)
            messages = rng.randint(1, 3) if outcome == ABANDONED else rng.randint(2, 9)
            fallbacks = rng.randint(1, 2) if outcome == NOT_UNDERSTOOD else (
                int(rng.random() < 0.15) if outcome in (RESOLVED, HANDED_OVER) else 0)
            flows = [action] if outcome == RESOLVED else (["action_handoff"] if outcome == HANDED_OVER else [])
            rows.append({
                "conversation_id": f"{PREFIX}{day:%Y%m%d}-{i}", "session_started_at": started,
                "last_event_at": started + timedelta(minutes=rng.randint(1, 12)),
                "channel": _pick(rng, CHANNELS), "language": "en", "customer_messages": messages,
                "fallbacks": min(fallbacks, messages), "intents": json.dumps([intent]), "flows": json.dumps(flows),
                "answered": outcome == RESOLVED, "handed_over": outcome == HANDED_OVER, "outcome": outcome})
    return rows


#: How the demo's customers answer: CSAT after the assistant and after a person, CES, NPS.
CSAT_BOT = ((5, 48), (4, 27), (3, 11), (2, 6), (1, 8))
CSAT_PERSON = ((5, 58), (4, 24), (3, 8), (2, 5), (1, 5))
CES = ((7, 30), (6, 30), (5, 16), (4, 10), (3, 6), (2, 4), (1, 4))
NPS = ((10, 26), (9, 22), (8, 16), (7, 12), (6, 7), (5, 6), (4, 3), (3, 3), (2, 2), (1, 1), (0, 2))
COMMENTS = ("Quick and easy, thanks!", "Found my parcel, great.", "Took a while to get to a person.",
            "Very helpful.", "The tracking link didn't work for me.", "")


def demo_surveys(rng: random.Random, outcomes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """About a third of the resolved and handed-over sessions answer the survey."""
    rows = []
    for outcome in outcomes:
        handed = outcome["outcome"] == HANDED_OVER
        if outcome["outcome"] not in (RESOLVED, HANDED_OVER) or rng.random() > (0.4 if handed else 0.3):
            continue
        asked = outcome["last_event_at"]
        nps = _pick(rng, NPS) if rng.random() < 0.2 else None
        comment = rng.choice(COMMENTS) if rng.random() < 0.25 else ""
        steps = ["csat", *(["ces"] if handed else []), *(["nps"] if nps is not None else []), "comment"]
        rows.append({"conversation_id": outcome["conversation_id"], "session_started_at": outcome["session_started_at"],
                     "trigger": "handoff" if handed else "assistant", "handoff_id": None,
                     "channel": outcome["channel"], "steps": json.dumps(steps), "step": None,
                     "csat": _pick(rng, CSAT_PERSON if handed else CSAT_BOT),
                     "ces": _pick(rng, CES) if handed else None, "nps": nps, "comment": comment or None,
                     "asked_at": asked, "answered_at": asked + timedelta(seconds=rng.randint(5, 90)),
                     "updated_at": asked + timedelta(seconds=rng.randint(90, 300))})
    return rows


def write_demo_outcomes(engine: Engine, now: datetime, days: int = 28, seed: int = 7) -> int:
    """Replace the demo outcomes with `days` days of them up to `now`; how many were written."""
    rng = random.Random(seed)
    rows = demo_rows(rng, now, days)
    answers = demo_surveys(rng, rows)
    for model in (ConversationOutcome, Survey):
        model.__table__.create(engine, checkfirst=True)
    with session_scope(engine) as session:
        for model in (ConversationOutcome, Survey):
            session.execute(delete(model).where(model.conversation_id.like(f"{PREFIX}%"))
                            .execution_options(synchronize_session=False))
        session.execute(ConversationOutcome.__table__.insert(), rows)
        if answers:
            session.execute(Survey.__table__.insert(), answers)
    return len(rows)


def has_demo_outcomes(engine: Engine) -> bool:
    ConversationOutcome.__table__.create(engine, checkfirst=True)
    with session_scope(engine) as session:
        return bool(session.execute(select(func.count()).where(
            ConversationOutcome.conversation_id.like(f"{PREFIX}%"))).scalar())
