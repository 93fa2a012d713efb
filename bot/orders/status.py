"""The order-status service the assistant's actions call: one function per question.

Each call opens its own short database session. Callers keep the conversation state
(which orders the customer proved they own); this module only answers from the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import List, Optional

from bot.core.db import session_scope
from bot.orders.lookup import (
    OrderSummary,
    load_order,
    normalize_order_number,
    normalize_proof,
    orders_of_customer,
    verify_owner,
)
from bot.orders.messages import order_status_text
from bot.orders.report import OrderReport, build_report
from bot.profile.shop_profile import current_profile


@dataclass(frozen=True)
class OwnershipCheck:
    verified: bool
    order_number: Optional[str] = None
    customer_id: Optional[int] = None
    #: Every order of the verified customer: they may ask about any of them.
    customer_orders: List[str] = field(default_factory=list)
    #: "email" or "zip": what proved it. Changing an order needs the email (bot.orders.changes).
    proof_kind: Optional[str] = None


def check_ownership(order_number: str, proof: str) -> OwnershipCheck:
    """Does `proof` (email or billing ZIP) prove ownership of `order_number`?"""
    number = normalize_order_number(order_number)
    owner_proof = normalize_proof(proof)
    if number is None or owner_proof is None:
        return OwnershipCheck(verified=False)
    with session_scope() as session:
        order = verify_owner(session, number, owner_proof)
        if order is None:
            return OwnershipCheck(verified=False)
        mine = [o.number for o in orders_of_customer(session, order.customer_id)]
        return OwnershipCheck(True, number, order.customer_id, mine, owner_proof.kind)


def order_report(order_number: str, now: datetime) -> Optional[OrderReport]:
    with session_scope() as session:
        order = load_order(session, order_number)
        return build_report(order, now) if order is not None else None


@dataclass(frozen=True)
class StatusAnswer:
    text: str
    late: bool  # a late parcel: the customer is offered a person


def order_status_answer(order_number: str, now: datetime) -> Optional[StatusAnswer]:
    """The status answer for an order the customer already proved they own."""
    report = order_report(order_number, now)
    if report is None:
        return None
    text = order_status_text(report, now, current_profile().timezone)
    return StatusAnswer(text, report.is_late)


def shop_timezone() -> str:
    return current_profile().timezone


def customer_orders(customer_id: int) -> List[OrderSummary]:
    with session_scope() as session:
        return orders_of_customer(session, customer_id)
