"""The support figures over a date range, from the conversation outcomes (bot.reports.outcomes).

Definitions (also shown where the figures are):
- conversations: conversation sessions in which the customer wrote, started in the range;
- containment rate: the share of them resolved by the assistant, without a person;
- handoff rate: the share handed to a person;
- fallback rate: the share of the customers' messages answered "Sorry, I didn't get that";
- handoffs: those opened in the range (by the desk's clock), by reason; the median minutes
  from opening to an agent's first reply, and to resolution (of those that got one);
- by hour: conversations by the UTC hour they started;
- CSAT: the share of 4 and 5 among the 1-5 ratings; NPS: % of 9-10 minus % of 0-6; CES: the
  average of the 1-7 answers. No survey is asked yet: these are empty (None, 0 responses).
"""
from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from typing import Any, Dict, List, Optional

from sqlalchemy import case, extract, func, inspect, select
from sqlalchemy.engine import Engine

from bot.core.db import engine_with_table, session_scope
from bot.core.models import ConversationOutcome, Handoff, HandoffMessage, MessageSender
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


def _median_minutes(spans: List[timedelta]) -> Optional[float]:
    return round(statistics.median(s.total_seconds() / 60 for s in spans), 1) if spans else None


def _handoff_figures(session: Any, begin: datetime, until: datetime, channel: Optional[str]) -> Dict[str, Any]:
    if not inspect(session.connection()).has_table(Handoff.__tablename__):
        return {"handoffs": 0, "handoff_reasons": {}, "median_first_agent_response_minutes": None,
                "median_resolution_minutes": None}
    where = [Handoff.created_at >= begin, Handoff.created_at < until]
    if channel:
        where.append(Handoff.channel == channel)
    first_reply = (select(HandoffMessage.handoff_id, func.min(HandoffMessage.created_at).label("at"))
                   .where(HandoffMessage.sender == MessageSender.AGENT).group_by(HandoffMessage.handoff_id).subquery())
    rows = session.execute(select(Handoff.reason, Handoff.created_at, Handoff.resolved_at, Handoff.agent,
                                  first_reply.c.at).outerjoin(first_reply, first_reply.c.handoff_id == Handoff.id)
                           .where(*where)).all()
    reasons: Dict[str, int] = {}
    for row in rows:
        reasons[row.reason] = reasons.get(row.reason, 0) + 1
    return {"handoffs": len(rows), "handoff_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
            "median_first_agent_response_minutes": _median_minutes([r.at - r.created_at for r in rows if r.at]),
            "median_resolution_minutes": _median_minutes(
                [r.resolved_at - r.created_at for r in rows if r.resolved_at and r.agent])}


def summary(start: date, end: date, channel: Optional[str] = None, engine: Optional[Engine] = None) -> Dict[str, Any]:
    """The figures of the sessions started from `start` to `end` (both included, UTC days)."""
    from bot.core import settings

    engine = engine or engine_with_table(settings.database_url(), ConversationOutcome.__tablename__)
    o = ConversationOutcome
    begin, until = datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)
    where = [o.session_started_at >= begin, o.session_started_at < until, o.customer_messages > 0]
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
        hour = extract("hour", o.session_started_at)
        by_hour = [0] * 24
        for at, n in session.execute(select(hour, func.count()).where(*where).group_by(hour)):
            by_hour[int(at)] = n
        handoffs = _handoff_figures(session, begin, until, channel)
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
        "by_hour": by_hour,
        **handoffs,
        "csat_average": None, "csat_responses": 0, "nps": None, "nps_responses": 0,
        "ces_average": None, "ces_responses": 0,
    }
