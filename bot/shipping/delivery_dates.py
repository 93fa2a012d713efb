"""Delivery date arithmetic: when an order placed now leaves the warehouse and when it arrives.

Pure functions. `now` is naive UTC (bot.core.clock.now()); every date returned is a shop-local date.
Business days are Monday to Friday except the policy's holidays; nothing ships or arrives on
other days.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import AbstractSet, Optional

from bot.core.shop_dates import local
from bot.profile.shipping_policy import Method, ShippingPolicy


def is_business_day(day: date, holidays: AbstractSet[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_business_day(day: date, holidays: AbstractSet[date]) -> date:
    """The first business day after `day`."""
    day += timedelta(days=1)
    while not is_business_day(day, holidays):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, n: int, holidays: AbstractSet[date] = frozenset()) -> date:
    """`day` plus `n` business days (`day` itself when n <= 0)."""
    if not holidays and n > 0:
        # Weekends only: arithmetic instead of a day-by-day loop (the demo shop calls this twice
        # per generated order). From a weekend, count as if from the Friday before.
        weekday = day.weekday()
        if weekday >= 5:
            day -= timedelta(days=weekday - 4)
            weekday = 4
        weeks, rest = divmod(n, 5)
        return day + timedelta(days=weeks * 7 + rest + (2 if weekday + rest >= 5 else 0))
    for _ in range(n):
        day = next_business_day(day, holidays)
    return day


def dispatch_date(now: datetime, policy: ShippingPolicy, method: Optional[Method] = None) -> date:
    """Today if it is a business day and before the cut-off (the method's own, if any), else the
    next business day."""
    wall_clock = local(now, policy.timezone)
    cutoff = (method.cutoff if method and method.cutoff else policy.dispatch_cutoff)
    if is_business_day(wall_clock.date(), policy.holidays) and wall_clock.time() < cutoff:
        return wall_clock.date()
    return next_business_day(wall_clock.date(), policy.holidays)


class Unavailable(str, enum.Enum):
    """Why a method cannot take an order now for this destination."""

    NEEDS_ZIP = "needs_zip"  # a method for listed ZIP codes only, and no ZIP was given
    ZIP_NOT_SERVED = "zip_not_served"  # the ZIP code is not on its list
    TOO_LATE = "too_late"  # a same-day method after its cut-off or on a non-business day


@dataclass(frozen=True)
class DeliveryWindow:
    method: Method
    dispatch: date  # the day the parcel leaves the warehouse
    earliest: date
    latest: date


def same_day_problem(now: datetime, method: Method, policy: ShippingPolicy,
                     zip_code: Optional[str]) -> Optional[Unavailable]:
    """None when `method` can take an order now for `zip_code`; otherwise why not (a ZIP off its
    list first, then too late today, then no ZIP given for a method limited to listed ZIPs)."""
    if zip_code and not method.serves_zip(zip_code):
        return Unavailable.ZIP_NOT_SERVED
    if method.same_day and dispatch_date(now, policy, method) != local(now, policy.timezone).date():
        return Unavailable.TOO_LATE
    if method.zip_codes and not zip_code:
        return Unavailable.NEEDS_ZIP
    return None


def delivery_window(now: datetime, method: Method, policy: ShippingPolicy,
                    zip_code: Optional[str] = None) -> Optional[DeliveryWindow]:
    """Earliest and latest arrival for an order placed now; None when the method is unavailable
    (see `same_day_problem`). Without a ZIP, a ZIP-limited method is assumed to be eligible."""
    problem = same_day_problem(now, method, policy, zip_code)
    if problem is not None and problem is not Unavailable.NEEDS_ZIP:
        return None
    leaves = dispatch_date(now, policy, method)
    return DeliveryWindow(
        method=method,
        dispatch=leaves,
        earliest=add_business_days(leaves, method.min_days, policy.holidays),
        latest=add_business_days(leaves, method.max_days, policy.holidays),
    )
