"""The support figures over a date range, from the conversation outcomes (bot.reports.outcomes).

Definitions (also shown where the figures are):
- conversations: conversation sessions in which the customer wrote, started in the range;
- containment rate: the share of them resolved by the assistant, without a person;
- handoff rate: the share handed to a person;
- fallback rate: the share of the customers' messages answered "Sorry, I didn't get that";
- CSAT: the share of 4 and 5 among the 1-5 ratings; NPS: % of 9-10 minus % of 0-6; CES: the
  average of the 1-7 answers. No survey is asked yet: these are empty (None, 0 responses).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Dict, Optional

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from bot.core.db import engine_with_table, session_scope
from bot.core.models import ConversationOutcome
from bot.reports.outcomes import HANDED_OVER, OUTCOMES, RESOLVED

MAX_DAYS = 366


class ReportRangeError(ValueError):
    """The dates asked for do not make a range."""


def parse_range(date_from: Optional[str], date_to: Optional[str], today: date) -> tuple:
    """`from` and `to` as YYYY-MM-DD, both included (default: the 30 days up to today)."""
    try:
        end = date.fromisoformat(date_to) if date_to else today
        start = date.fromisoformat(date_from) if date_from else end - timedelta(days=29)
    except ValueError:
        raise ReportRangeError("from and to must be dates written YYYY-MM-DD") from None
    if start > end:
        raise ReportRangeError("from must not be after to")
    if (end - start).days >= MAX_DAYS:
        raise ReportRangeError(f"the range may cover at most {MAX_DAYS} days")
    return start, end


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def summary(start: date, end: date, channel: Optional[str] = None, engine: Optional[Engine] = None) -> Dict[str, Any]:
    """The figures of the sessions started from `start` to `end` (both included, UTC days)."""
    from bot.core import settings

    engine = engine or engine_with_table(settings.database_url(), ConversationOutcome.__tablename__)
    o = ConversationOutcome
    where = [o.session_started_at >= datetime.combine(start, time.min),
             o.session_started_at < datetime.combine(end + timedelta(days=1), time.min),
             o.customer_messages > 0]
    if channel:
        where.append(o.channel == channel)
    with session_scope(engine) as session:
        counts = {name: 0 for name in OUTCOMES}
        for outcome, n in session.execute(select(o.outcome, func.count()).where(*where).group_by(o.outcome)):
            counts[outcome] = n
        messages, fallbacks = session.execute(
            select(func.coalesce(func.sum(o.customer_messages), 0), func.coalesce(func.sum(o.fallbacks), 0))
            .where(*where)).one()
        by_channel = {c or "unknown": n for c, n in session.execute(
            select(o.channel, func.count()).where(*where).group_by(o.channel))}
        resolved_by_channel = {c or "unknown": n for c, n in session.execute(
            select(o.channel, func.sum(case((o.outcome == RESOLVED, 1), else_=0))).where(*where).group_by(o.channel))}
        day = func.date(o.session_started_at)
        by_day: Dict[str, Dict[str, int]] = {}
        for when, outcome, n in session.execute(select(day, o.outcome, func.count()).where(*where)
                                                .group_by(day, o.outcome)):
            key = when.isoformat() if hasattr(when, "isoformat") else str(when)
            by_day.setdefault(key, {name: 0 for name in OUTCOMES})[outcome] = n
    conversations = sum(counts.values())
    return {
        "from": start.isoformat(), "to": end.isoformat(), "channel": channel or None,
        "conversations": conversations,
        "containment_rate": _rate(counts[RESOLVED], conversations),
        "handoff_rate": _rate(counts[HANDED_OVER], conversations),
        "fallback_rate": _rate(int(fallbacks), int(messages)),
        "customer_messages": int(messages),
        "outcomes": counts,
        "by_channel": {name: {"conversations": n, "resolved": int(resolved_by_channel.get(name) or 0)}
                       for name, n in sorted(by_channel.items())},
        "by_day": [{"date": d, "conversations": sum(c.values()), **c} for d, c in sorted(by_day.items())],
        "csat_average": None, "csat_responses": 0, "nps": None, "nps_responses": 0,
        "ces_average": None, "ces_responses": 0,
    }
