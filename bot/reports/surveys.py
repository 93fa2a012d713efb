"""Asking the customer how it went, and keeping their answers (`Survey`, one per session at most).

Two moments ask: the assistant answered a request in the session and the customer says thanks
or goodbye (`offer_after_assistant`, from actions/surveys.py), and an agent resolved the
customer's handoff (`offer_after_handoff`, from the desk). The questions come one at a time:
CSAT 1-5, CES 1-7 after a handoff, NPS 0-10 for the profile's share of sessions, then an
optional comment.

The customer's next message is read by `answer` before the bot sees it (the channels'
handoff gate): a score alone, a comment or "skip" is recorded and the next question follows;
anything else (a new request, an order number, a question) drops the survey and goes to the
bot as usual, so it is answered. A question left unanswered for `answer_within_hours` lapses.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Dict, List, Optional

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.alerts import messages as alert_messages
from bot.alerts import service as alerts
from bot.core import clock
from bot.core.db import engine_with_table, session_scope
from bot.core.models import ConversationOutcome, Survey
from bot.profile.shop_profile import current_profile
from bot.profile.survey_policy import SurveyPolicy
from bot.reports.survey_answers import is_skip, read_score
from bot.reports.survey_messages import CES, COMMENT, CSAT, NPS, SCALES, Question, closing, question

ASSISTANT, HANDOFF = "assistant", "handoff"
#: Intents that, typed instead of a comment, are a request to answer rather than a comment.
REQUEST_INTENTS = frozenset({
    "order_status", "other_orders", "inform", "return_request", "exchange_request", "return_policy",
    "refund_status", "damaged_item", "wrong_item", "missing_package", "shipping_options",
    "delivery_estimate", "cancel_order", "change_address", "faq", "help", "human_handoff",
})
REQUEST_CONFIDENCE = 0.8
#: Digits like an order, tracking or phone number: a request, not a comment.
_LONG_NUMBER = re.compile(r"\d{4,}")
COMMENT_MAX = 2000


@dataclass(frozen=True)
class SurveyReply:
    """What the customer reads after an answer (the next question or the thanks)."""

    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    survey_id: int = 0
    low_csat: Optional[int] = None  # the CSAT just given, when it raised an alert (alerts.low_csat_at_most)


def _engine(engine: Optional[Engine]) -> Engine:
    if engine is not None:
        Survey.__table__.create(engine, checkfirst=True)
        return engine
    from bot.core import settings

    return engine_with_table(settings.database_url(), Survey.__tablename__)


def sampled(conversation_id: str, started: datetime, share: float) -> bool:
    """Whether this session is among the `share` asked NPS: the same answer every time."""
    digest = hashlib.sha256(f"{conversation_id}|{started.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 10_000 < round(share * 10_000)


def plan(trigger: str, conversation_id: str, started: datetime, policy: SurveyPolicy) -> List[str]:
    steps = [CSAT]
    if trigger == HANDOFF:
        steps.append(CES)
    if sampled(conversation_id, started, policy.nps_share):
        steps.append(NPS)
    if policy.ask_comment:
        steps.append(COMMENT)
    return steps


def _latest_session(session, conversation_id: str) -> Optional[ConversationOutcome]:
    if not inspect(session.connection()).has_table(ConversationOutcome.__tablename__):
        return None
    return session.execute(select(ConversationOutcome).where(ConversationOutcome.conversation_id == conversation_id)
                           .order_by(ConversationOutcome.session_started_at.desc()).limit(1)).scalar_one_or_none()


def _start(engine: Engine, conversation_id: str, started: datetime, trigger: str, channel: Optional[str],
           handoff_id: Optional[int], policy: SurveyPolicy) -> Optional[Question]:
    """The survey's row and first question; None when the session already had a survey."""
    now = clock.now()
    steps = plan(trigger, conversation_id, started, policy)
    try:
        with session_scope(engine) as session:
            if session.execute(select(Survey.id).where(Survey.conversation_id == conversation_id,
                                                       Survey.session_started_at == started)).first():
                return None
            session.add(Survey(conversation_id=conversation_id, session_started_at=started, trigger=trigger,
                               handoff_id=handoff_id, channel=(channel or None) and channel[:64],
                               steps=json.dumps(steps), step=steps[0], asked_at=now, updated_at=now))
    except IntegrityError:  # asked a moment ago by another turn
        return None
    return question(steps[0], policy, current_profile().name)


def offer_after_assistant(conversation_id: str, channel: Optional[str] = None,
                          engine: Optional[Engine] = None) -> Optional[Question]:
    """The first question, if the session's outcome so far is a request the assistant answered
    and it had no survey yet; None otherwise (nothing is asked)."""
    policy = current_profile().surveys
    if not policy.after_assistant or not conversation_id:
        return None
    engine = _engine(engine)
    with session_scope(engine) as session:
        latest = _latest_session(session, conversation_id)
        if latest is None or not latest.answered or latest.handed_over:
            return None
        started, channel = latest.session_started_at, channel or latest.channel
    return _start(engine, conversation_id, started, ASSISTANT, channel, None, policy)


def offer_after_handoff(conversation_id: str, channel: Optional[str], handoff_id: Optional[int],
                        engine: Optional[Engine] = None) -> Optional[Question]:
    """The first question after an agent resolved the conversation's handoff; None when the
    profile does not ask or the session already had its survey."""
    policy = current_profile().surveys
    if not policy.after_handoff or not conversation_id:
        return None
    engine = _engine(engine)
    with session_scope(engine) as session:
        latest = _latest_session(session, conversation_id)
        started = latest.session_started_at if latest is not None else clock.now()
    return _start(engine, conversation_id, started, HANDOFF, channel, handoff_id, policy)


def _waiting(session, conversation_id: str) -> Optional[Survey]:
    return session.execute(select(Survey).where(Survey.conversation_id == conversation_id, Survey.step.isnot(None))
                           .order_by(Survey.id.desc()).limit(1)).scalar_one_or_none()


def pending_step(conversation_id: Optional[str], engine: Optional[Engine] = None) -> Optional[str]:
    """The question the conversation's customer was asked and has not answered yet, if any."""
    if not conversation_id:
        return None
    with session_scope(_engine(engine)) as session:
        row = _waiting(session, str(conversation_id))
        return row.step if row is not None else None


def _is_request(text: str, intent: Optional[str], confidence: Optional[float]) -> bool:
    return bool(_LONG_NUMBER.search(text)) or (
        intent in REQUEST_INTENTS and (confidence or 0.0) >= REQUEST_CONFIDENCE)


def answer(conversation_id: Optional[str], text: Optional[str], intent: Optional[str] = None,
           confidence: Optional[float] = None, engine: Optional[Engine] = None) -> Optional[SurveyReply]:
    """Record `text` as the answer to the waiting question and say what comes next; None when
    there is no waiting question or the text is not an answer (the survey ends, the bot answers).

    `intent` and `confidence` are the model's reading of the text: only a comment needs them.
    """
    if not conversation_id or not isinstance(text, str) or not text.strip():
        return None
    policy = current_profile().surveys
    now = clock.now()
    with session_scope(_engine(engine)) as session:
        row = _waiting(session, str(conversation_id))
        if row is None:
            return None
        step, asked, row.updated_at = row.step, row.updated_at, now  # updated_at: when `step` was asked
        if now - asked > timedelta(hours=policy.answer_within_hours):
            row.step = None
            return None
        if is_skip(text):
            row.step = None
            return SurveyReply(closing(policy, skipped=True).text, survey_id=row.id)
        if step == COMMENT:
            if _is_request(text, intent, confidence):
                row.step = None
                return None
            row.comment = text.strip()[:COMMENT_MAX]
        else:
            score = read_score(text, *SCALES[step])
            if score is None:
                row.step = None
                return None
            setattr(row, step, score)
        row.answered_at = row.answered_at or now
        steps = json.loads(row.steps)
        following = steps[steps.index(step) + 1] if step in steps and steps.index(step) + 1 < len(steps) else None
        row.step = following
        low_at_most = current_profile().alerts.low_csat_at_most
        low = row.csat if step == CSAT and row.csat is not None and row.csat <= low_at_most else None
        if low is not None:
            _raise_low_csat(session, row, now)
        shown = question(following, policy, current_profile().name) if following else closing(policy, skipped=False)
        return SurveyReply(shown.text, list(shown.buttons), row.id, low)



def _raise_low_csat(session, row: Survey, now: datetime) -> None:
    """The alert, in the survey answer's own transaction."""
    alerts.raise_alert(session, alert_messages.LOW_CSAT,
                       alerts.Source(row.conversation_id, row.channel, row.handoff_id),
                       alert_messages.low_csat_text(row.csat, row.trigger), now,
                       details={"csat": row.csat, "survey_id": row.id, "trigger": row.trigger})


def question_of(text: str) -> Optional[Question]:
    """The survey question `text` is, with its buttons (a question stored as a message from the
    team after a resolved handoff is shown with them); None for any other text."""
    profile = current_profile()
    return next((q for q in (question(step, profile.surveys, profile.name) for step in (CSAT, CES, NPS, COMMENT))
                 if q.text == text), None)
