"""Changing an order before it ships: cancelling it, or changing its shipping address.

Both are allowed only while the order is pending or processing and has no shipment. The
assistant calls `may_change`, `cancel` and `readdress`, which open their own session and commit;
`check_change`, `cancel_order` and `change_address` do the same work inside a session the caller
holds (they flush; the caller's session scope commits). Ownership must be checked by the caller
(bot.orders.lookup.verify_owner) before calling anything here.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core import clock
from bot.core.db import session_scope
from bot.core.models import Order, OrderItem, OrderStatus
from bot.profile.shipping_policy import ShippingPolicy
from bot.shipping.addresses import Address


class ChangeOutcome(str, enum.Enum):
    ALLOWED = "allowed"  # a check only: the change may be made
    DONE = "done"  # the change was made
    ALREADY_CANCELLED = "already_cancelled"  # nothing changed
    ALREADY_SHIPPED = "already_shipped"  # shipped or delivered: too late
    NOT_DELIVERABLE = "not_deliverable"  # the order's shipping method does not go to that address
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class OrderFacts:
    """What the replies need to say about the order, as it is after the call."""

    number: str
    status: str
    currency: str
    total_cents: int
    refunded_cents: int
    cancelled_at: Optional[datetime]
    refunded_at: Optional[datetime]
    method_code: str
    method_name: str
    items: Tuple[Tuple[int, str], ...]  # (quantity, product name)
    address: Address
    carrier: Optional[str] = None  # of the latest shipment
    shipped_at: Optional[datetime] = None
    delivered_at: Optional[datetime] = None


@dataclass(frozen=True)
class ChangeResult:
    outcome: ChangeOutcome
    order_number: str
    facts: Optional[OrderFacts] = None
    previous_address: Optional[Address] = None  # address changes: what it was before
    requested_address: Optional[Address] = None  # address changes: the one asked for


def _load(session: Session, number: str) -> Optional[Order]:
    # FOR UPDATE (on PostgreSQL) keeps a parallel change from slipping in between check and write.
    return session.execute(
        select(Order)
        .options(selectinload(Order.items).selectinload(OrderItem.product),
                 selectinload(Order.shipments), selectinload(Order.shipping_method))
        .where(Order.number == str(number).strip())
        .with_for_update()
    ).scalar_one_or_none()


def _address(order: Order) -> Address:
    return Address(order.shipping_line1, order.shipping_line2, order.shipping_city,
                   order.shipping_region, order.shipping_zip, order.shipping_country)


def _facts(order: Order) -> OrderFacts:
    shipment = order.shipments[-1] if order.shipments else None
    return OrderFacts(
        number=order.number, status=OrderStatus(order.status).value, currency=order.currency,
        total_cents=order.total_cents, refunded_cents=order.refunded_cents or 0,
        cancelled_at=order.cancelled_at, refunded_at=order.refunded_at,
        method_code=order.shipping_method.code, method_name=order.shipping_method.name,
        items=tuple((i.quantity, i.product.name) for i in order.items),
        address=_address(order),
        carrier=shipment.carrier if shipment else None,
        shipped_at=shipment.shipped_at if shipment else None,
        delivered_at=shipment.delivered_at if shipment else None,
    )


def _blocked(order: Optional[Order], number: str) -> Optional[ChangeResult]:
    """Why the order cannot be changed any more, or None when it can."""
    if order is None:
        return ChangeResult(ChangeOutcome.NOT_FOUND, str(number).strip())
    if order.status == OrderStatus.CANCELLED:
        return ChangeResult(ChangeOutcome.ALREADY_CANCELLED, order.number, _facts(order))
    if order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED) or order.shipments:
        return ChangeResult(ChangeOutcome.ALREADY_SHIPPED, order.number, _facts(order))
    return None


def check_change(session: Session, number: str) -> ChangeResult:
    """May the order still be cancelled or re-addressed? ALLOWED, or why not. Changes nothing."""
    order = _load(session, number)
    blocked = _blocked(order, number)
    if blocked:
        return blocked
    assert order is not None
    return ChangeResult(ChangeOutcome.ALLOWED, order.number, _facts(order))


def cancel_order(session: Session, number: str, now: Optional[datetime] = None) -> ChangeResult:
    """Cancel and refund the whole order if it has not shipped; a second call changes nothing."""
    order = _load(session, number)
    blocked = _blocked(order, number)
    if blocked:
        return blocked
    assert order is not None
    moment = now or clock.now()
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = moment
    order.refunded_cents = order.total_cents
    order.refunded_at = moment
    session.flush()
    return ChangeResult(ChangeOutcome.DONE, order.number, _facts(order))


def _method_goes_to(order: Order, address: Address, policy: ShippingPolicy) -> bool:
    method = policy.method(order.shipping_method.code)
    if method is None:  # a method the profile does not know (imported data): same country only
        return address.country == order.shipping_country
    zone = policy.zone_for(address.country)
    return zone is not None and method in zone.methods and method.serves_zip(address.postcode)


def change_address(session: Session, number: str, address: Address,
                   policy: ShippingPolicy) -> ChangeResult:
    """Point an unshipped order at a checked address (bot.shipping.addresses.check_address); the
    order's shipping method must deliver there. The recipient's name stays as it is."""
    order = _load(session, number)
    blocked = _blocked(order, number)
    if blocked:
        return blocked
    assert order is not None
    if not _method_goes_to(order, address, policy):
        return ChangeResult(ChangeOutcome.NOT_DELIVERABLE, order.number, _facts(order),
                            requested_address=address)
    previous = _address(order)
    order.shipping_line1 = address.line1
    order.shipping_line2 = address.line2
    order.shipping_city = address.city
    order.shipping_region = address.region
    order.shipping_zip = address.postcode
    order.shipping_country = address.country
    session.flush()
    return ChangeResult(ChangeOutcome.DONE, order.number, _facts(order), previous, address)


def may_change(number: str) -> ChangeResult:
    """`check_change` in a session of its own."""
    with session_scope() as session:
        return check_change(session, number)


def cancel(number: str, now: Optional[datetime] = None) -> ChangeResult:
    """`cancel_order` in a session of its own, committed when it returns."""
    with session_scope() as session:
        return cancel_order(session, number, now)


def readdress(number: str, address: Address, policy: ShippingPolicy) -> ChangeResult:
    """`change_address` in a session of its own, committed when it returns."""
    with session_scope() as session:
        return change_address(session, number, address, policy)
