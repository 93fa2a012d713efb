"""The support figures over a date range, from the conversation outcomes (bot.reports.outcomes).

Definitions (also shown where the figures are):
- conversations: conversation sessions in which the customer wrote, started in the range;
- containment rate: the share of them resolved by the assistant, without a person;
- handoff rate: the share handed to a person;
- fallback rate: the share of the customers' messages answered "Sorry, I didn't get that";
- handoffs: those opened in the range (by the desk's clock), by reason; who resolved them (each
  agent, the customer going back to the assistant, nobody: expired, or still open); the median
  minutes from opening to an agent's first reply, and to resolution (of those that got one);
- by hour: conversations by the UTC hour they started;
- by topic: conversations per topic asked about (bot.reports.topics; one conversation may
  count for several);
- surveys, of the sessions started in the range (bot.reports.surveys): CSAT, the share of 4 and 5
  among the 1-5 ratings (`csat`), and their average (`csat_average`); CES, the average of the
  1-7 answers; NPS, % of 9-10 minus % of 0-6 (from -100 to 100); each with its number of answers
  and how many gave each score (`*_distribution`). None where nobody answered.
"""
from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import case, extract, func, inspect, select
from sqlalchemy.engine import Engine

from bot.core.db import engine_with_table, session_scope
from bot.core.models import ConversationOutcome, Handoff, HandoffMessage, MessageSender, Survey
from bot.reports.outcomes import HANDED_OVER, OUTCOMES, RESOLVED
from bot.reports.survey_messages import SCALES
from bot.reports.topics import TOPICS, intent_pattern

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
        return {"handoffs": 0, "handoff_reasons": {}, "handoff_endings": _endings([]),
                "median_first_agent_response_minutes": None, "median_resolution_minutes": None}
    where = [Handoff.created_at >= begin, Handoff.created_at < until]
    if channel:
        where.append(Handoff.channel == channel)
    first_reply = (select(HandoffMessage.handoff_id, func.min(HandoffMessage.created_at).label("at"))
                   .where(HandoffMessage.sender == MessageSender.AGENT).group_by(HandoffMessage.handoff_id).subquery())
    rows = session.execute(select(Handoff.reason, Handoff.status, Handoff.created_at, Handoff.resolved_at,
                                  Handoff.agent, first_reply.c.at)
                           .outerjoin(first_reply, first_reply.c.handoff_id == Handoff.id).where(*where)).all()
    reasons: Dict[str, int] = {}
    for row in rows:
        reasons[row.reason] = reasons.get(row.reason, 0) + 1
    return {"handoffs": len(rows), "handoff_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
            "handoff_endings": _endings(rows),
            "median_first_agent_response_minutes": _median_minutes([r.at - r.created_at for r in rows if r.at]),
            "median_resolution_minutes": _median_minutes(
                [r.resolved_at - r.created_at for r in rows if r.resolved_at and r.agent])}


#: How a handoff ended, besides "resolved by <agent>".
ENDINGS = ("back_to_assistant", "expired", "open")


def _endings(rows: List[Any]) -> Dict[str, Any]:
    """Who resolved the handoffs: each agent, the customer going back to the assistant before
    anyone claimed it, nobody (expired), or not yet (open)."""
    agents: Dict[str, int] = {}
    ends = {name: 0 for name in ENDINGS}
    for row in rows:
        status = getattr(row.status, "value", row.status)
        if status == "resolved" and row.agent:
            agents[row.agent] = agents.get(row.agent, 0) + 1
        elif status == "resolved":
            ends["back_to_assistant"] += 1
        elif status == "expired":
            ends["expired"] += 1
        else:
            ends["open"] += 1
    return {"by_agent": dict(sorted(agents.items(), key=lambda kv: (-kv[1], kv[0]))), **ends}


def _scores(rows: List[Any]) -> Dict[str, Dict[int, int]]:
    counts = {kind: {score: 0 for score in range(low, high + 1)} for kind, (low, high) in SCALES.items()}
    for row in rows:
        for kind in SCALES:
            value = getattr(row, kind)
            if value in counts[kind]:
                counts[kind][value] += 1
    return counts


def _survey_totals(counts: Dict[str, Dict[int, int]]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for kind, scores in counts.items():
        answers = sum(scores.values())
        out[f"{kind}_average"] = round(sum(s * n for s, n in scores.items()) / answers, 2) if answers else None
        out[f"{kind}_responses"] = answers
    csat, nps = counts["csat"], counts["nps"]
    out["csat"] = _rate(csat[4] + csat[5], out["csat_responses"])
    promoters, detractors = nps[9] + nps[10], sum(nps[s] for s in range(0, 7))
    out["nps"] = round(100 * (promoters - detractors) / out["nps_responses"], 1) if out["nps_responses"] else None
    return out


def _survey_figures(session: Any, begin: datetime, until: datetime,
                    channel: Optional[str]) -> Tuple[Dict[str, Any], Dict[str, Dict[str, Any]]]:
    """The survey figures of the range, and the same per day (keyed like by_day)."""
    rows: List[Any] = []
    if inspect(session.connection()).has_table(Survey.__tablename__):
        where = [Survey.session_started_at >= begin, Survey.session_started_at < until,
                 (Survey.csat.isnot(None)) | (Survey.ces.isnot(None)) | (Survey.nps.isnot(None))
                 | (Survey.comment.isnot(None))]
        if channel:
            where.append(Survey.channel == channel)
        rows = session.execute(select(Survey.session_started_at, Survey.csat, Survey.ces, Survey.nps,
                                      Survey.comment.isnot(None).label("commented")).where(*where)).all()
    counts = _scores(rows)
    totals = _survey_totals(counts)
    for kind, scores in counts.items():
        totals[f"{kind}_distribution"] = {str(score): n for score, n in scores.items()}
    totals["survey_comments"] = sum(1 for r in rows if r.commented)
    days: Dict[str, List[Any]] = {}
    for row in rows:
        days.setdefault(row.session_started_at.date().isoformat(), []).append(row)
    return totals, {day: _survey_totals(_scores(part)) for day, part in days.items()}


def _topic_counts(session: Any, where: List[Any]) -> Dict[str, int]:
    """Sessions per topic, most first: counted in the database (one pass, nothing read out)."""
    o = ConversationOutcome
    names = list(TOPICS)
    sums = session.execute(select(*[
        func.coalesce(func.sum(case((o.intents.like(intent_pattern(name), escape="\\"), 1), else_=0)), 0)
        for name in names]).where(*where)).one()
    counts = {name: int(n) for name, n in zip(names, sums) if n}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


DAY_SURVEY_KEYS = ("csat", "csat_responses", "ces_average", "ces_responses", "nps", "nps_responses")


def _day_surveys(figures: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    figures = figures or _survey_totals(_scores([]))
    return {key: figures[key] for key in DAY_SURVEY_KEYS}


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
        by_topic = _topic_counts(session, where)
        handoffs = _handoff_figures(session, begin, until, channel)
        surveys, surveys_by_day = _survey_figures(session, begin, until, channel)
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
        "by_day": [{"date": d, "conversations": sum(c.values()), **c, **_day_surveys(surveys_by_day.get(d))}
                   for d, c in sorted(by_day.items())],
        "by_hour": by_hour,
        "by_topic": by_topic,
        **handoffs,
        **surveys,
    }
