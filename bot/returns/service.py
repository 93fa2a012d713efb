"""Starting returns: validate against the policy and the database, then write the RMA.

`create_return` works in a caller's session (tests roll back); `returnable_items` and
`start_return` open their own, for the assistant's actions. Customer-facing wording lives in
bot.returns.messages. Asking again for items already in an open return never makes a second
RMA: the existing one comes back with code EXISTING.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core.db import session_scope
from bot.core.models import OrderItem, ReturnItem, ReturnRequest, ReturnResolution, ReturnStatus
from bot.orders.lookup import load_order
from bot.profile.shop_profile import ShopProfile, current_profile
from bot.returns.eligibility import OrderEligibility, check_order

CREATED, EXISTING = "created", "existing"
OPEN_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.RECEIVED)

ItemChoice = Union[Sequence[int], Mapping[int, int]]  # order item ids, or id -> quantity


@dataclass(frozen=True)
class ReturnFacts:
    """One return as plain data, for wording."""

    rma: str
    status: str
    resolution: str
    item_names: Tuple[str, ...]
    refund_cents: int
    refund_method: Optional[str]
    created_at: datetime
    received_at: Optional[datetime]
    refunded_at: Optional[datetime]


@dataclass(frozen=True)
class ReturnResult:
    code: str  # CREATED, EXISTING, or why nothing was created
    message: str = ""  # customer-facing explanation when nothing was created
    facts: Optional[ReturnFacts] = None
    last_drop_off_day: Optional[date] = None  # shop calendar; the return window's last day
    today: Optional[date] = None
    also_existing: Tuple[ReturnFacts, ...] = ()  # other chosen items already in these returns

    @property
    def ok(self) -> bool:
        return self.code in (CREATED, EXISTING)

    @property
    def existing(self) -> bool:
        return self.code == EXISTING


def facts_of(ret: ReturnRequest) -> ReturnFacts:
    return ReturnFacts(
        rma=ret.rma, status=ReturnStatus(ret.status).value,
        resolution=ReturnResolution(ret.resolution).value,
        item_names=tuple(line.order_item.product.name for line in ret.items),
        refund_cents=ret.refund_cents or 0, refund_method=ret.refund_method,
        created_at=ret.created_at, received_at=ret.received_at, refunded_at=ret.refunded_at,
    )


def returns_of(session: Session, order_id: int) -> List[ReturnRequest]:
    """Every return of an order, oldest first, with items and products loaded."""
    return list(session.execute(
        select(ReturnRequest)
        .options(selectinload(ReturnRequest.items).selectinload(ReturnItem.order_item)
                 .selectinload(OrderItem.product))
        .where(ReturnRequest.order_id == order_id)
        .order_by(ReturnRequest.id)
    ).scalars())


def eligibility(session: Session, order_number: str, profile: ShopProfile,
                now: datetime) -> Optional[OrderEligibility]:
    order = load_order(session, order_number)
    if order is None:
        return None
    return check_order(order, returns_of(session, order.id), profile, now)


def match_choice(text: Optional[str], choices: Sequence[str]) -> Optional[str]:
    """The profile's spelling of `text` when it is one of `choices` (any case); else None."""
    wanted = " ".join((text or "").lower().split())
    return next((c for c in choices if c.lower() == wanted), None)


def _quantities(items: ItemChoice) -> Optional[Dict[int, Optional[int]]]:
    """{order item id: quantity or None for all still returnable}; None when malformed."""
    try:
        if isinstance(items, Mapping):
            return {int(k): int(v) for k, v in items.items()}
        return {int(i): None for i in items}
    except (TypeError, ValueError):
        return None


def create_return(session: Session, order_number: str, items: ItemChoice, reason: str,
                  resolution: str, profile: ShopProfile, now: datetime, *,
                  reason_detail: Optional[str] = None,
                  refund_method: Optional[str] = None) -> ReturnResult:
    """Create a return of the chosen items, or say why not. Writes at most one row (+ items)."""
    order = load_order(session, order_number)
    if order is None:
        return ReturnResult("not_found", "I couldn't find that order.")
    returns = returns_of(session, order.id)
    check = check_order(order, returns, profile, now)
    wanted = _quantities(items)
    if wanted == {}:
        return ReturnResult("no_items", "Please choose at least one item to return.")
    if wanted is None or any(check.item(i) is None for i in wanted):
        return ReturnResult("unknown_item", "That item isn't part of this order.")
    chosen = {i: e for i in wanted if (e := check.item(i)) is not None}  # every one, checked above

    open_returns: Dict[int, ReturnRequest] = {}  # order item id -> the open return holding it
    for ret in returns:
        if ReturnStatus(ret.status) in OPEN_STATUSES:
            for line in ret.items:
                open_returns.setdefault(line.order_item_id, ret)
    held = [open_returns[i] for i in wanted if i in open_returns]
    asked = {i: q for i, q in wanted.items() if i not in open_returns}
    held_facts = tuple(facts_of(r) for r in dict.fromkeys(held))
    if not asked:
        return ReturnResult(EXISTING, facts=held_facts[0], today=check.today,
                            last_drop_off_day=check.last_day, also_existing=held_facts[1:])

    refused = [chosen[i] for i in asked if not chosen[i].eligible]
    if refused:
        why = "; ".join(f"{e.name}: {e.reason}" for e in refused)
        return ReturnResult("ineligible", f"Sorry, I can't start a return for {why}.")
    new: Dict[int, int] = {}  # order item id -> quantity to return (all that may go back if not said)
    for item_id, quantity in asked.items():
        allowed = chosen[item_id].returnable_quantity
        if quantity is None:
            new[item_id] = allowed
        elif not 1 <= quantity <= allowed:
            return ReturnResult("bad_quantity", f"You can return 1 to {allowed} of {chosen[item_id].name}.")
        else:
            new[item_id] = quantity

    choice = (resolution or "").strip().lower()
    if choice not in (ReturnResolution.REFUND.value, ReturnResolution.EXCHANGE.value):
        return ReturnResult("bad_resolution", "Would you like a refund or an exchange?")
    if choice == ReturnResolution.EXCHANGE.value and not profile.exchange_allowed:
        return ReturnResult("exchange_not_allowed",
                            "Sorry, we don't offer exchanges. You can return the item for a "
                            "refund and place a new order for the one you'd like.")
    canonical_reason = match_choice(reason, profile.return_reasons)
    if canonical_reason is None:
        return ReturnResult("bad_reason",
                            "Please pick one of these reasons: "
                            + ", ".join(profile.return_reasons) + ".")
    method = None
    if choice == ReturnResolution.REFUND.value:
        method = match_choice(refund_method, profile.refund_methods) if refund_method else (
            profile.refund_methods[0])
        if method is None:
            return ReturnResult("bad_refund_method",
                                "We can refund to: " + ", ".join(profile.refund_methods) + ".")

    ret = ReturnRequest(
        rma=_next_rma(order.number, returns), order_id=order.id,
        status=ReturnStatus.REQUESTED, resolution=ReturnResolution(choice),
        reason=canonical_reason, reason_detail=(reason_detail or "").strip() or None,
        refund_method=method, refund_cents=0, created_at=now, updated_at=now,
    )
    order_items = {i.id: i for i in order.items}
    total = 0
    for item_id, quantity in new.items():
        ret.items.append(ReturnItem(order_item=order_items[item_id], quantity=quantity))
        total += quantity * chosen[item_id].unit_price_cents
    if method is not None:
        customer_pays = profile.return_shipping_paid_by == "customer"
        fee = profile.return_shipping_fee_cents if customer_pays else 0
        ret.refund_cents = max(0, total - fee)
    session.add(ret)
    session.flush()
    return ReturnResult(CREATED, facts=facts_of(ret), today=check.today,
                        last_drop_off_day=check.last_day, also_existing=held_facts)


def _next_rma(order_number: str, returns: List[ReturnRequest]) -> str:
    taken = {r.rma for r in returns}
    n = len(returns) + 1
    while f"RMA-{order_number}-{n}" in taken:
        n += 1
    return f"RMA-{order_number}-{n}"


# --------------------------------------------------------------------------- for the actions


def returnable_items(order_number: str, now: datetime,
                     profile: Optional[ShopProfile] = None) -> Optional[OrderEligibility]:
    """The eligibility of each item of a verified order; None when the order is unknown."""
    with session_scope() as session:
        return eligibility(session, order_number, profile or current_profile(), now)


def start_return(order_number: str, items: ItemChoice, reason: str, resolution: str,
                 now: datetime, *, reason_detail: Optional[str] = None,
                 refund_method: Optional[str] = None,
                 profile: Optional[ShopProfile] = None) -> ReturnResult:
    """create_return in its own transaction (committed when a return was created)."""
    with session_scope() as session:
        return create_return(session, order_number, items, reason, resolution,
                             profile or current_profile(), now, reason_detail=reason_detail,
                             refund_method=refund_method)
