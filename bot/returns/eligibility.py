"""Which items of an order can be returned, and why the others can't. Pure: no queries.

An item is returnable when the order was delivered, today (in the shop's time zone) is no later
than the delivery date plus the return window, it is not final sale, and not all of it is
already in a return. Delivered on day D with a 30-day window: day D+30 is the last day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Dict, Iterable, List, Optional, Tuple

from bot.core.models import Order, OrderItem, OrderStatus, ReturnRequest, ReturnStatus
from bot.core.shop_dates import local_date, on_date
from bot.profile.shop_profile import ShopProfile

ELIGIBLE = "eligible"
CANCELLED = "cancelled"
NOT_DELIVERED = "not_delivered"
ALREADY_RETURNED = "already_returned"
FINAL_SALE = "final_sale"
WINDOW_CLOSED = "window_closed"

#: Returns that still hold their items (a rejected return gives them back).
COUNTING_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.RECEIVED, ReturnStatus.REFUNDED)


@dataclass(frozen=True)
class ItemEligibility:
    order_item_id: int
    name: str
    ordered_quantity: int
    returnable_quantity: int  # 0 unless eligible
    unit_price_cents: int
    code: str  # ELIGIBLE or why not
    reason: str  # customer-facing, "" when eligible

    @property
    def eligible(self) -> bool:
        return self.code == ELIGIBLE


@dataclass(frozen=True)
class OrderEligibility:
    order_number: str
    today: date  # in the shop's time zone
    delivered_on: Optional[date]
    last_day: Optional[date]  # the last day to start a return
    items: Tuple[ItemEligibility, ...]

    @property
    def eligible(self) -> List[ItemEligibility]:
        return [i for i in self.items if i.eligible]

    @property
    def ineligible(self) -> List[ItemEligibility]:
        return [i for i in self.items if not i.eligible]

    def item(self, order_item_id: int) -> Optional[ItemEligibility]:
        return next((i for i in self.items if i.order_item_id == order_item_id), None)


def delivered_at(order: Order) -> Optional[datetime]:
    """When the whole order arrived: the last delivery, once every shipment is delivered."""
    times = [s.delivered_at for s in order.shipments]
    if not times or any(t is None for t in times):
        return None
    return max(times)


def returned_quantities(returns: Iterable[ReturnRequest]) -> Dict[int, Tuple[int, List[str]]]:
    """Per order item id: the quantity already in returns, and those returns' RMAs."""
    result: Dict[int, Tuple[int, List[str]]] = {}
    for ret in returns:
        if ReturnStatus(ret.status) not in COUNTING_STATUSES:
            continue
        for line in ret.items:
            quantity, rmas = result.get(line.order_item_id, (0, []))
            result[line.order_item_id] = (quantity + line.quantity, rmas + [ret.rma])
    return result


def is_final_sale(item: OrderItem, profile: ShopProfile) -> bool:
    categories = {c.lower() for c in profile.final_sale_categories}
    return bool(item.product.final_sale) or item.product.category.lower() in categories


def check_order(order: Order, returns: Iterable[ReturnRequest], profile: ShopProfile,
                now: datetime) -> OrderEligibility:
    """The eligibility of every item of `order` (loaded with items, products and shipments)."""
    tz = profile.timezone
    today = local_date(now, tz)
    arrived = delivered_at(order)
    delivered_on = local_date(arrived, tz) if arrived else None
    last_day = delivered_on + timedelta(days=profile.return_window_days) if delivered_on else None
    already = returned_quantities(returns)
    items = []
    for item in order.items:
        in_returns, rmas = already.get(item.id, (0, []))
        left = item.quantity - in_returns
        if OrderStatus(order.status) is OrderStatus.CANCELLED:
            code, reason = CANCELLED, "this order was cancelled, so there's nothing to return"
        elif last_day is None:
            code, reason = NOT_DELIVERED, "it hasn't been delivered yet"
        elif left <= 0:
            code = ALREADY_RETURNED
            reason = f"it's already in return {', '.join(dict.fromkeys(rmas))}"
        elif is_final_sale(item, profile):
            code, reason = FINAL_SALE, "final-sale items can't be returned"
        elif today > last_day:
            code = WINDOW_CLOSED
            reason = (f"the {profile.return_window_days}-day return window closed "
                      f"{on_date(last_day, today)}")
        else:
            code, reason = ELIGIBLE, ""
        items.append(ItemEligibility(
            order_item_id=item.id, name=item.product.name, ordered_quantity=item.quantity,
            returnable_quantity=left if code == ELIGIBLE else 0,
            unit_price_cents=item.unit_price_cents, code=code, reason=reason,
        ))
    return OrderEligibility(order.number, today, delivered_on, last_day, tuple(items))
