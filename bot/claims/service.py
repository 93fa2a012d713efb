"""Claims for problem deliveries: a damaged or wrong item, or a parcel that never came.

Each claim is a row in `claims` that the warehouse and agents act on. Filing is idempotent:
one claim per (order, item, kind) for items and one missing-package claim per order; asking
again returns the existing claim with code EXISTING. The functions taking a session write in
the caller's transaction; the ones at the bottom open their own, for the assistant's actions.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.alerts import messages as alert_messages
from bot.alerts import service as alerts
from bot.claims import messages
from bot.claims.missing_package import HUMAN, LATE, LOST, MissingPackage, assess
from bot.core.db import session_scope
from bot.core.models import Claim, ClaimKind, ClaimResolution, ClaimStatus, Order, OrderItem
from bot.orders.lookup import load_order
from bot.profile.shop_profile import ShopProfile, current_profile
from bot.returns.eligibility import delivered_at

CREATED, EXISTING, CHOSEN = "created", "existing", "chosen"
ITEM_KINDS = (ClaimKind.DAMAGED_ITEM.value, ClaimKind.WRONG_ITEM.value)
MAX_DESCRIPTION = 1000


@dataclass(frozen=True)
class ClaimResult:
    code: str  # CREATED, EXISTING, CHOSEN, or why nothing was written
    message: str  # customer-facing
    claim_number: Optional[str] = None
    offered: Tuple[str, ...] = ()  # resolutions the customer may pick next ("human" included)
    resolution: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.code in (CREATED, EXISTING, CHOSEN)

    @property
    def existing(self) -> bool:
        return self.code == EXISTING


def claims_of(session: Session, order_id: int) -> List[Claim]:
    return list(session.execute(
        select(Claim).where(Claim.order_id == order_id).order_by(Claim.id)).scalars())


def _new_claim(session: Session, order: Order, kind: ClaimKind, now: datetime, **fields) -> Claim:
    taken = {c.number for c in claims_of(session, order.id)}
    n = len(taken) + 1
    while f"CLM-{order.number}-{n}" in taken:
        n += 1
    claim = Claim(number=f"CLM-{order.number}-{n}", order_id=order.id, kind=kind,
                  status=ClaimStatus.OPEN, created_at=now, **fields)
    session.add(claim)
    session.flush()
    return claim


def _amount(claim: Claim, order: Order) -> int:
    if claim.order_item is not None:
        return claim.order_item.unit_price_cents  # one unit of the item
    return max(0, order.total_cents - (order.refunded_cents or 0))


def _outcome(claim: Claim, order: Order, profile: ShopProfile) -> str:
    """What happens next for the claim's chosen resolution."""
    resolution = ClaimResolution(claim.resolution).value if claim.resolution is not None else None
    item = claim.order_item.product.name if claim.order_item is not None else None
    return messages.outcome_text(resolution, item, _amount(claim, order), profile)


def file_item_claim(session: Session, order_number: str, order_item_id: int, kind: str,
                    description: str, profile: ShopProfile, now: datetime) -> ClaimResult:
    """Record a damaged_item or wrong_item claim and say which resolutions to offer."""
    order = load_order(session, order_number)
    if order is None:
        return ClaimResult("not_found", messages.ORDER_NOT_FOUND)
    if kind not in ITEM_KINDS:
        return ClaimResult("bad_kind", messages.WHICH_PROBLEM)
    item: Optional[OrderItem] = next(
        (i for i in order.items if str(i.id) == str(order_item_id).strip()), None)
    if item is None:
        return ClaimResult("unknown_item", messages.UNKNOWN_ITEM)
    if delivered_at(order) is None:
        return ClaimResult("not_delivered", messages.not_delivered_text(order.number))
    offered = profile.claims.resolutions_for(kind) + (HUMAN,)
    amount, currency = item.unit_price_cents, profile.currency
    for claim in claims_of(session, order.id):
        if claim.order_item_id == item.id and ClaimKind(claim.kind).value == kind:
            if claim.resolution is None:
                return ClaimResult(EXISTING, messages.already_reported_text(
                    claim.number, messages.offer_text(offered, amount, currency)), claim.number, offered)
            return ClaimResult(EXISTING, messages.with_outcome("already_reported",
                claim.number, _outcome(claim, order, profile)), claim.number, (),
                ClaimResolution(claim.resolution).value)
    text = " ".join((description or "").split())[:MAX_DESCRIPTION]
    if not text:
        return ClaimResult("no_description", messages.DESCRIBE_IT)
    claim = _new_claim(session, order, ClaimKind(kind), now, order_item_id=item.id,
                       description=text)
    text = messages.reported_text(kind, item.product.name, claim.number,
                                  messages.offer_text(offered, amount, currency))
    return ClaimResult(CREATED, text, claim.number, offered)


def choose_item_resolution(session: Session, order_number: str, claim_number: str,
                           resolution: str, profile: ShopProfile, now: datetime) -> ClaimResult:
    """Record the customer's pick (refund, replacement or human) on their item claim."""
    claim = session.execute(select(Claim).where(Claim.number == claim_number)).scalar_one_or_none()
    order = load_order(session, order_number)
    if claim is None or order is None or claim.order_id != order.id:
        return ClaimResult("not_found", messages.CLAIM_NOT_FOUND)
    kind = ClaimKind(claim.kind).value
    offered = profile.claims.resolutions_for(kind) + (HUMAN,)
    if claim.resolution is not None:
        return ClaimResult(EXISTING, messages.with_outcome("settled", claim.number, _outcome(claim, order, profile)),
                           claim.number, (), ClaimResolution(claim.resolution).value)
    choice = (resolution or "").strip().lower()
    if kind not in ITEM_KINDS or choice not in offered:
        return ClaimResult("bad_resolution", messages.choose_one_of_text(offered), claim.number, offered)
    claim.resolution = ClaimResolution(choice)
    session.flush()
    return ClaimResult(CHOSEN, messages.with_outcome("chosen", claim.number, _outcome(claim, order, profile)),
                       claim.number, (), choice)


def _resolution(claim: Claim) -> Optional[str]:
    return ClaimResolution(claim.resolution).value if claim.resolution is not None else None


def _missing_claim(session: Session, order: Order) -> Optional[Claim]:
    return next((c for c in claims_of(session, order.id)
                 if ClaimKind(c.kind) is ClaimKind.MISSING_PACKAGE), None)


def file_missing_package_claim(session: Session, order_number: str, resolution: str,
                               profile: ShopProfile, now: datetime) -> ClaimResult:
    """Record a lost-parcel claim with the customer's pick; nothing while it is not lost."""
    order = load_order(session, order_number)
    if order is None:
        return ClaimResult("not_found", messages.ORDER_NOT_FOUND)
    existing = _missing_claim(session, order)
    if existing is not None:
        return ClaimResult(EXISTING, messages.with_outcome("parcel_already_reported",
            existing.number, _outcome(existing, order, profile)), existing.number, (), _resolution(existing))
    situation = assess(order, profile, now)
    if not situation.claimable:
        return ClaimResult("not_claimable", situation.text)
    choice = (resolution or "").strip().lower()
    if choice not in situation.offered:
        return ClaimResult("bad_resolution", messages.choose_one_of_text(situation.offered), None,
                           situation.offered)
    scan = situation.last_scan
    facts = (f"{situation.days_late} days late (due {situation.due_on}); last scan "
             + (f"{scan.on}: {scan.description} at {scan.location}" if scan else "none"))
    claim = _new_claim(session, order, ClaimKind.MISSING_PACKAGE, now, description=facts,
                       resolution=ClaimResolution(choice))
    return ClaimResult(CREATED, messages.with_outcome("recorded", claim.number, _outcome(claim, order, profile)),
                       claim.number, (), choice)


# --------------------------------------------------------------------------- for the actions


def _alert_parcel(session: Session, order: Order, situation: MissingPackage, source: alerts.Source,
                  profile: ShopProfile, now: datetime) -> None:
    """A late or lost parcel the customer reports: an alert, counted per carrier (several
    customers in an hour may mean one carrier's trouble)."""
    if situation.state not in (LATE, LOST):
        return
    kind = alert_messages.LOST_PARCEL if situation.state == LOST else alert_messages.LATE_PARCEL
    source = replace(source, customer_email=source.customer_email or (order.customer.email if order.customer else None),
                     order_number=order.number)
    alerts.raise_alert(session, kind, source,
                       alert_messages.parcel_text(kind, order.number, situation.carrier, situation.days_late), now,
                       problem=f"{kind}:{situation.carrier or 'unknown carrier'}",
                       details={"days_late": situation.days_late, "days_without_scan": situation.days_without_scan,
                                "carrier": situation.carrier}, policy=profile.alerts)


def missing_package_answer(order_number: str, now: datetime, profile: Optional[ShopProfile] = None,
                           reported_by: Optional[alerts.Source] = None) -> Optional[MissingPackage]:
    """Where the parcel of a verified order stands; None when the order is unknown. With
    `reported_by` (the customer's conversation), a late or lost parcel raises an alert."""
    profile = profile or current_profile()
    with session_scope() as session:
        order = load_order(session, order_number)
        if order is None:
            return None
        situation = assess(order, profile, now)
        if reported_by is not None:
            _alert_parcel(session, order, situation, reported_by, profile, now)
        claim = _missing_claim(session, order)
        if claim is None:
            return situation
        text = messages.with_outcome("parcel_already_reported", claim.number, _outcome(claim, order, profile))
        return replace(situation, offered=(), existing_claim=claim.number, text=text)


def report_missing_package(order_number: str, resolution: str, now: datetime,
                           profile: Optional[ShopProfile] = None) -> ClaimResult:
    with session_scope() as session:
        return file_missing_package_claim(session, order_number, resolution,
                                          profile or current_profile(), now)


def report_item_problem(order_number: str, order_item_id: int, kind: str, description: str,
                        now: datetime, profile: Optional[ShopProfile] = None) -> ClaimResult:
    with session_scope() as session:
        return file_item_claim(session, order_number, order_item_id, kind, description,
                               profile or current_profile(), now)


def choose_claim_resolution(order_number: str, claim_number: str, resolution: str,
                            now: datetime, profile: Optional[ShopProfile] = None) -> ClaimResult:
    with session_scope() as session:
        return choose_item_resolution(session, order_number, claim_number, resolution,
                                      profile or current_profile(), now)
