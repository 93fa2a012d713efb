"""Who the demo storefront lets you "sign in" as: the reference customers (bot/shopdata/reference_orders.py).

A real shop signs the token for the customer its own login says is signed in; the demo has no
passwords, so it only offers these five, whose orders every README example uses.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from bot.core import clock
from bot.shopdata.reference_orders import reference_customers, reference_orders


@dataclass(frozen=True)
class DemoCustomer:
    email: str
    name: str
    orders: Tuple[str, ...]


def demo_customers() -> List[DemoCustomer]:
    now = clock.now()  # only names and numbers are used; the dates do not matter here
    numbers: Dict[str, List[str]] = {}
    for order in reference_orders(now):
        numbers.setdefault(order.email, []).append(order.number)
    return [DemoCustomer(c.email, f"{c.first_name} {c.last_name}", tuple(numbers.get(c.email, ())))
            for c in reference_customers(now)]


def find_demo_customer(email: object) -> Optional[DemoCustomer]:
    """The demo customer with this email; None for anyone else (or anything that is not one)."""
    if not isinstance(email, str):
        return None
    wanted = email.strip().lower()
    return next((c for c in demo_customers() if c.email == wanted), None)
