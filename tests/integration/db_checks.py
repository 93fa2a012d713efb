"""Reading the servers' shop database after a conversation."""
from __future__ import annotations

from typing import Dict, List

from sqlalchemy import select

from bot.core.db import engine_for, session_scope
from bot.core.models import Claim, Order, ReturnRequest


def order_row(url: str, number: str) -> Order:
    with session_scope(engine_for(url)) as s:
        return s.execute(select(Order).where(Order.number == number)).scalar_one()


def item_ids(url: str, number: str) -> Dict[str, int]:
    with session_scope(engine_for(url)) as s:
        order = s.execute(select(Order).where(Order.number == number)).scalar_one()
        return {i.product.name: i.id for i in order.items}


def returns_of(url: str, number: str) -> List[ReturnRequest]:
    with session_scope(engine_for(url)) as s:
        order = s.execute(select(Order).where(Order.number == number)).scalar_one()
        found = s.execute(select(ReturnRequest).where(ReturnRequest.order_id == order.id)).scalars().all()
        for r in found:
            [line.order_item_id for line in r.items]  # load before the session closes
        return found


def claims_of(url: str, number: str) -> List[Claim]:
    with session_scope(engine_for(url)) as s:
        order = s.execute(select(Order).where(Order.number == number)).scalar_one()
        return s.execute(select(Claim).where(Claim.order_id == order.id)).scalars().all()


def unshipped_order(url: str, skip: tuple = ("100002",)) -> tuple:
    """(number, email) of an order that has not shipped yet, other than those in `skip`."""
    with session_scope(engine_for(url)) as s:
        order = s.execute(
            select(Order).where(Order.status == "processing", Order.shipping_country == "US",
                                Order.number.notin_(skip)).order_by(Order.number)
        ).scalars().first()
        return order.number, order.customer.email
