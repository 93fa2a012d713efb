"""Finding orders and proving who owns them.

Nobody sees an order without proof of ownership: the order number plus the order's email or
billing ZIP. An unknown order and a wrong proof give the same answer (None), so order numbers
cannot be probed.
"""
from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.core.models import Customer, Order, Shipment

#: After this many failed ownership checks in a conversation the bot stops checking (and the
#: handoff policy hands the conversation to a person).
MAX_FAILED_CHECKS = 3

_ORDER_NUMBER = re.compile(r"^\d{6,8}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_ZIP = re.compile(r"^(\d{5})(?:-?\d{4})?$")


def normalize_order_number(text: object) -> Optional[str]:
    """'#100001', ' 100001 ', 'order 100001' -> '100001'; None when it is not an order number."""
    if text is None:
        return None
    cleaned = re.sub(r"(?i)^\s*(order\s*)?(no\.?|number)?\s*#?\s*", "", str(text)).strip()
    return cleaned if _ORDER_NUMBER.match(cleaned) else None


@dataclass(frozen=True)
class OwnerProof:
    kind: str  # "email" or "zip"
    value: str


def normalize_proof(text: object) -> Optional[OwnerProof]:
    """An email (lowercased) or a US ZIP (its 5-digit part); None when it is neither."""
    if text is None:
        return None
    value = str(text).strip()
    if _EMAIL.match(value):
        return OwnerProof("email", value.lower())
    zip_match = _ZIP.match(value)
    if zip_match:
        return OwnerProof("zip", zip_match.group(1))
    return None


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def verify_owner(session: Session, order_number: str, proof: OwnerProof) -> Optional[Order]:
    """The order if `proof` matches its email or billing ZIP; None otherwise (also if unknown)."""
    order = session.execute(
        select(Order).options(joinedload(Order.customer)).where(Order.number == order_number)
    ).scalar_one_or_none()
    if order is None:
        return None
    if proof.kind == "email":
        ok = _same(order.customer.email.lower(), proof.value)
    else:
        ok = _same(order.billing_zip[:5], proof.value)
    return order if ok else None


def load_order(session: Session, order_number: str) -> Optional[Order]:
    """An order with everything a status answer needs, loaded in a few queries."""
    return session.execute(
        select(Order)
        .options(
            selectinload(Order.items).joinedload("product"),
            selectinload(Order.shipments).selectinload(Shipment.events),
            joinedload(Order.shipping_method),
        )
        .where(Order.number == order_number)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class OrderSummary:
    number: str
    placed_at: datetime
    status: str
    total_cents: int
    item_count: int


def orders_of_customer(session: Session, customer_id: int) -> List[OrderSummary]:
    """All orders of one customer, newest first. Only for a customer who proved who they are."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        return []
    orders = session.execute(
        select(Order)
        .options(selectinload(Order.items))
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc())
    ).scalars()
    return [
        OrderSummary(
            number=o.number,
            placed_at=o.placed_at,
            status=o.status.value,
            total_cents=o.total_cents,
            item_count=sum(i.quantity for i in o.items),
        )
        for o in orders
    ]
