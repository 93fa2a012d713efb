"""Messages on their way from the team to the customer: an agent's reply, the bot's "I'm back"
after a resolution, the apology when nobody picked a handoff up.

A message counts as delivered (HandoffMessage.delivered_at) only once the customer's app took
it: the provider's send API accepted it, the widget was sent it, or it is in the REST response.
It gets there one of two ways, whichever comes first:
- pushed: the desk pushes each new message at once through the Rasa server of the customer's
  channel, and tries again the ones that did not go (`claim_message`, `claim_due`, `settle`),
  with the outbox's backoff, for up to MAX_AGE;
- handed out with the customer's next message by the channel that receives it (`claim_for`,
  `settle`; `take_for` when the answer itself carries them).
A claim leases a message for LEASE: two senders (the desk and a channel, or two desks) never
send one at the same time, and one that dies mid-send leaves it to the next after the lease.
How each try went is kept in `reply_deliveries` for the desk (`states`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.core import clock
from bot.core.models import Handoff, HandoffMessage, MessageSender, ReplyDelivery
from bot.core.settings import MESSAGING_CHANNELS
from bot.handoff.messages import from_person
from bot.handoff.outbox import backoff
from bot.handoff.store import scope

#: The channels a message can be pushed to without the customer writing first (REST cannot).
PUSH_CHANNELS = MESSAGING_CHANNELS | {"socketio"}
LEASE = timedelta(minutes=2)
#: Pushes stop after this; the message still goes out with the customer's next one.
MAX_AGE = timedelta(days=7)

DELIVERED, PENDING, FAILED = "delivered", "pending", "failed"


@dataclass(frozen=True)
class Reply:
    message_id: int
    conversation_id: str
    channel: str
    text: str  # as the customer reads it: an agent's reply is marked as from a person
    attempt: int = 0  # this claim's try: only its holder records how it went (`settle`)


def _outgoing():
    """Messages meant for the customer: the agents', and the bot's written when the handoff
    ended (its "I'm back", the apology); not its notes for the agents (stored delivered)."""
    return or_(HandoffMessage.sender == MessageSender.AGENT,
               and_(HandoffMessage.sender == MessageSender.BOT, Handoff.resolved_at.isnot(None),
                    HandoffMessage.created_at >= Handoff.resolved_at))


def _reply(message: HandoffMessage, handoff: Handoff, attempt: int) -> Reply:
    text = from_person(message.agent, message.text) if message.sender == MessageSender.AGENT else message.text
    return Reply(message.id, handoff.conversation_id, handoff.channel, text, attempt)


def _insert_lease(session, message_id: int, now: datetime) -> int:
    """The first try's row: 1, or 0 when another sender inserted it a moment ago."""
    values = dict(message_id=message_id, attempts=1, next_attempt_at=now, leased_until=now + LEASE,
                  failed=False)
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(ReplyDelivery).values(**values).on_conflict_do_nothing(
            index_elements=["message_id"])
        return 1 if session.execute(statement).rowcount else 0
    try:
        session.add(ReplyDelivery(**values))
        session.flush()
    except IntegrityError:
        return 0
    return 1


def _lease(session, message_id: int, now: datetime, due_only: bool) -> int:
    """Take the message for a send now: the number of this try, 0 when another sender has it or
    it was delivered meanwhile (one conditional write: of two senders, one wins)."""
    row = session.execute(select(ReplyDelivery.attempts).where(
        ReplyDelivery.message_id == message_id)).scalar_one_or_none()
    if row is None:
        return _insert_lease(session, message_id, now)
    undelivered = select(HandoffMessage.id).where(HandoffMessage.id == message_id,
                                                  HandoffMessage.delivered_at.is_(None))
    conditions = [ReplyDelivery.message_id == message_id, ReplyDelivery.attempts == row,
                  ReplyDelivery.message_id.in_(undelivered),
                  or_(ReplyDelivery.leased_until.is_(None), ReplyDelivery.leased_until <= now)]
    if due_only:
        conditions.append(ReplyDelivery.next_attempt_at <= now)
    taken = session.execute(
        update(ReplyDelivery).where(*conditions)
        .values(attempts=row + 1, leased_until=now + LEASE)
        .execution_options(synchronize_session=False)).rowcount
    return row + 1 if taken else 0


def _claim(where: Iterable[Any], now: datetime, due_only: bool, limit: Optional[int] = None) -> List[Reply]:
    with scope() as session:
        query = (select(HandoffMessage, Handoff).join(Handoff, HandoffMessage.handoff_id == Handoff.id)
                 .where(HandoffMessage.delivered_at.is_(None), _outgoing(), *where)
                 .order_by(HandoffMessage.id))
        if limit:
            query = query.limit(limit)
        claimed = []
        for message, handoff in session.execute(query).all():
            attempt = _lease(session, message.id, now, due_only)
            if attempt:
                claimed.append(_reply(message, handoff, attempt))
        return claimed


def claim_message(message_id: int, now: Optional[datetime] = None) -> Optional[Reply]:
    """The message, leased for a push now; None if it is delivered, leased or not pushable."""
    found = _claim([HandoffMessage.id == int(message_id), Handoff.channel.in_(PUSH_CHANNELS)],
                   now or clock.now(), due_only=False)
    return found[0] if found else None


def claim_due(now: Optional[datetime] = None, limit: int = 50) -> List[Reply]:
    """Pushable messages whose next try is due (or that were never tried), leased, oldest first."""
    now = now or clock.now()
    not_tried = select(ReplyDelivery.message_id)
    due = select(ReplyDelivery.message_id).where(ReplyDelivery.next_attempt_at <= now)
    return _claim([Handoff.channel.in_(PUSH_CHANNELS), HandoffMessage.created_at >= now - MAX_AGE,
                   or_(HandoffMessage.id.not_in(not_tried), HandoffMessage.id.in_(due))],
                  now, due_only=True, limit=limit)


def claim_for(conversation_id: str, now: Optional[datetime] = None) -> List[Reply]:
    """Every message of the conversation still to deliver, leased, oldest first (the channel
    hands them out with the customer's message)."""
    return _claim([Handoff.conversation_id == str(conversation_id).strip()], now or clock.now(),
                  due_only=False)


def _delivered(session, message_ids: List[int], now: datetime) -> None:
    session.execute(update(HandoffMessage).where(
        HandoffMessage.id.in_(message_ids), HandoffMessage.delivered_at.is_(None))
        .values(delivered_at=now).execution_options(synchronize_session=False))
    session.execute(update(ReplyDelivery).where(ReplyDelivery.message_id.in_(message_ids))
                    .values(leased_until=None, failed=False, last_error=None)
                    .execution_options(synchronize_session=False))


def settle(message_id: int, error: Optional[str] = None, *, failed: bool = True,
           now: Optional[datetime] = None, attempt: Optional[int] = None) -> None:
    """After a try: delivered when `error` is None; otherwise why not, tried again later
    (`failed` False: nobody to push to yet, e.g. the chat window is closed). `attempt` (the
    claim's): a failure is recorded only by the claim that still holds the message."""
    now = now or clock.now()
    with scope() as session:
        if error is None:
            _delivered(session, [message_id], now)
            return
        attempts = session.execute(select(ReplyDelivery.attempts).where(
            ReplyDelivery.message_id == message_id)).scalar_one_or_none() or 1
        if attempt is not None and attempt != attempts:
            return  # the lease ran out and another sender has it now
        session.execute(update(ReplyDelivery).where(ReplyDelivery.message_id == message_id,
                                                    ReplyDelivery.attempts == attempts)
                        .values(leased_until=None, next_attempt_at=now + backoff(attempts),
                                failed=failed, last_error=error[:1000])
                        .execution_options(synchronize_session=False))


def take_for(conversation_id: str) -> List[str]:
    """The conversation's messages still to deliver, marked delivered (in one transaction): the
    channel's answer to the customer's message carries them (REST, the widget)."""
    now = clock.now()
    taken = claim_for(conversation_id, now)
    if taken:
        with scope() as session:
            _delivered(session, [reply.message_id for reply in taken], now)
    return [reply.text for reply in taken]


def states(session, message_ids: Iterable[int]) -> Dict[int, Dict[str, Any]]:
    """How far each message's delivery got, for those with tries: attempts, failed, error."""
    ids = [int(i) for i in message_ids]
    if not ids:
        return {}
    rows = session.execute(select(ReplyDelivery).where(ReplyDelivery.message_id.in_(ids))).scalars()
    return {row.message_id: {"attempts": row.attempts, "failed": bool(row.failed),
                             "error": row.last_error, "next_attempt_at": row.next_attempt_at}
            for row in rows}


def delivery_after(pushed: bool, failed: bool, error: Optional[str], attempts: int) -> Dict[str, Any]:
    """The desk's view of a message right after a try (delivery_of's shape)."""
    if pushed:
        return {"status": DELIVERED, "detail": None, "attempts": attempts}
    return {"status": FAILED if failed else PENDING, "detail": error, "attempts": attempts}


def delivery_of(message: HandoffMessage, channel: str, tried: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The desk's view of one outgoing message: status (delivered / pending / failed) and why."""
    if message.delivered_at is not None:
        return {"status": DELIVERED, "detail": None, "attempts": (tried or {}).get("attempts", 0)}
    if tried and tried["failed"]:
        return {"status": FAILED, "detail": tried["error"], "attempts": tried["attempts"]}
    if channel not in PUSH_CHANNELS:
        detail = "goes out with the customer's next message (this channel cannot be pushed to)"
    else:
        detail = (tried or {}).get("error") or "on its way"
    return {"status": PENDING, "detail": detail, "attempts": (tried or {}).get("attempts", 0)}
