"""The bot's replies about cancelling an order or changing its address (bot.orders.changes).

`now` is naive UTC; dates are shown in the shop's time zone.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.formatting import money
from bot.core.shop_dates import on_day
from bot.orders.changes import ChangeOutcome, ChangeResult, OrderFacts
from bot.shipping import place_names
from bot.shipping.addresses import Address
from bot.text.buttons import intent_button

if TYPE_CHECKING:
    from bot.profile.shop_profile import ShopProfile


CANCEL_BUTTONS = [intent_button("Yes, cancel it", "affirm"), intent_button("No, keep it", "deny")]


def cancel_declined_text(number: str) -> str:
    return f"Okay, order {number} stays as it is."


def address_declined_text(number: str) -> str:
    return f"Okay, I've left the address of order {number} as it is."


def _on(when: datetime, now: datetime, profile: "ShopProfile") -> str:
    return on_day(when, now, profile.timezone)


def _items(facts: OrderFacts) -> str:
    return ", ".join(f"{q} × {name}" if q > 1 else name for q, name in facts.items)


def _refund_method(profile: "ShopProfile") -> str:
    return profile.refund_methods[0] if profile.refund_methods else "original payment method"


def _not_found(result: ChangeResult) -> str:
    return f"I couldn't find order {result.order_number}. Could you check the number?"


def _already_cancelled(f: OrderFacts, now: datetime, profile: "ShopProfile") -> str:
    text = f"Order {f.number} was already cancelled"
    if f.cancelled_at:
        text += f" {_on(f.cancelled_at, now, profile)}"
    if f.refunded_cents:
        text += (f", and the refund of {money(f.refunded_cents, f.currency)} was issued to your "
                 f"{_refund_method(profile)}")
        if f.refunded_at and (f.cancelled_at is None or f.refunded_at.date() != f.cancelled_at.date()):
            text += f" {_on(f.refunded_at, now, profile)}"
    return text + ". There's nothing more to do."


def _shipped(f: OrderFacts, now: datetime, profile: "ShopProfile", change: str) -> str:
    """Too late: it left the warehouse. A return for a cancellation; a person for an address."""
    if f.status == "delivered" or f.delivered_at:
        when = f" {_on(f.delivered_at, now, profile)}" if f.delivered_at else ""
        text = f"Order {f.number} was delivered{when}, so it's too late to {change}."
    else:
        how = f" with {f.carrier}" if f.carrier else ""
        when = f" {_on(f.shipped_at, now, profile)}" if f.shipped_at else ""
        text = f"Order {f.number} already shipped{how}{when}, so it's too late to {change}."
    if change != "cancel it":
        return text + " A person on our team can ask the carrier whether it can be redirected."
    first = "You can return it instead" if f.delivered_at else "Once it arrives you can return it"
    return (f"{text} {first}: returns are accepted within {profile.return_window_days} days "
            f"of delivery.")


def render_cancel_confirmation(result: ChangeResult, now: datetime, profile: "ShopProfile") -> str:
    """For an ALLOWED check: the question to ask before cancelling; otherwise why not."""
    if result.outcome is not ChangeOutcome.ALLOWED or result.facts is None:
        return render_cancel(result, now, profile)
    f = result.facts
    return (f"Order {f.number} ({_items(f)}) hasn't shipped yet, so I can cancel it and refund "
            f"{money(f.total_cents, f.currency)} to your {_refund_method(profile)}. "
            f"Shall I cancel it?")


def render_cancel(result: ChangeResult, now: datetime, profile: "ShopProfile") -> str:
    """'Order 100002 is cancelled. $54.95 goes back to your original payment method within
    5 business days.' or why it was not cancelled."""
    f = result.facts
    if f is None:
        return _not_found(result)
    if result.outcome is ChangeOutcome.DONE:
        return (f"Order {f.number} is cancelled. {money(f.refunded_cents, f.currency)} goes back to "
                f"your {_refund_method(profile)} within {profile.refund_processing_days} business days.")
    if result.outcome is ChangeOutcome.ALREADY_CANCELLED:
        return _already_cancelled(f, now, profile)
    if result.outcome is ChangeOutcome.ALREADY_SHIPPED:
        return _shipped(f, now, profile, "cancel it")
    return f"Order {f.number} hasn't been cancelled."


def render_address_confirmation(number: str, address: Address, profile: "ShopProfile") -> str:
    """The question to ask before changing the address."""
    home = profile.shipping.domestic.countries[0]
    return f"Change the shipping address of order {number} to {address.one_line(home)}?"


def render_address_change(result: ChangeResult, now: datetime, profile: "ShopProfile") -> str:
    """'Done: order 100002 will now go to ...' or why the address cannot be changed."""
    f = result.facts
    if f is None:
        return _not_found(result)
    home = profile.shipping.domestic.countries[0]
    if result.outcome is ChangeOutcome.DONE:
        return f"Done: order {f.number} will now go to {f.address.one_line(home)}."
    if result.outcome is ChangeOutcome.ALLOWED:
        return (f"Order {f.number} hasn't shipped yet, so its address can still be changed. "
                f"It's going to {f.address.one_line(home)} now. What's the new address?")
    if result.outcome is ChangeOutcome.ALREADY_CANCELLED:
        return f"Order {f.number} is cancelled, so there's no address to change."
    if result.outcome is ChangeOutcome.ALREADY_SHIPPED:
        return _shipped(f, now, profile, "change its address")
    method = profile.shipping.method(f.method_code)
    wanted = result.requested_address
    if method is not None and method.area and (wanted is None or wanted.country == home):
        why = f"only delivers to {method.area}"
    elif wanted is not None and wanted.country != f.address.country:
        why = f"doesn't deliver to {place_names.country_name(wanted.country)}"
    else:
        why = "doesn't deliver to that address"
    return (f"Order {f.number} ships with {f.method_name}, which {why}. "
            f"A person on our team can help you change the order.")
