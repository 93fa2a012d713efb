"""Shipping options: what ships to a place, with its price and delivery window, and the method a
customer names. The replies that present them are in `bot.shipping.messages`. `now` is naive UTC.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from bot.profile.shipping_policy import Method, ShippingPolicy, Zone
from bot.shipping.delivery_dates import DeliveryWindow, Unavailable, delivery_window, same_day_problem
from bot.shipping.locations import Place

# Other words customers use for a method, by method code.
_ALIASES = {"overnight": "next_day", "express": "two_day", "ground": "standard",
            "cheapest": "economy", "today": "same_day"}


@dataclass(frozen=True)
class ShippingOption:
    method: Method
    price_cents: int  # for the subtotal given (0 when free), else the list price
    window: Optional[DeliveryWindow]  # None when it cannot take an order right now
    problem: Optional[Unavailable]  # NEEDS_ZIP: shown with its area; TOO_LATE: not today


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def find_method(policy: ShippingPolicy, text: object, zone: Optional[Zone] = None) -> Optional[Method]:
    """'next day', 'Next-Day', 'overnight', 'express' -> the method of `zone` (default: domestic)."""
    zone = zone or policy.domestic
    wanted = _squash(str(text or ""))
    if not wanted:
        return None
    for m in zone.methods:
        if wanted in (_squash(m.code), _squash(m.name)):
            return m
    # "standard" or "express" for an international zone: its "Standard International" method
    prefixed = next((m for m in zone.methods if _squash(m.name).startswith(wanted)), None)
    alias = _ALIASES.get(wanted)
    return prefixed or next((m for m in zone.methods if m.code == alias), None)


def shipping_options(policy: ShippingPolicy, now: datetime, place: Optional[Place] = None,
                     subtotal_cents: Optional[int] = None) -> List[ShippingOption]:
    """The methods that ship to `place` (default: anywhere in the home country); empty when the
    shop does not ship there. Methods limited to other ZIP codes are left out."""
    zone = place.zone if place is not None else policy.domestic
    if zone is None:
        return []
    zip_code = place.zip_code if place is not None else None
    options = []
    for m in zone.methods:
        problem = same_day_problem(now, m, policy, zip_code)
        if problem is Unavailable.ZIP_NOT_SERVED:
            continue
        options.append(ShippingOption(m, policy.price_cents(m, subtotal_cents),
                                      delivery_window(now, m, policy, zip_code), problem))
    return options
