"""Customer-facing wording for returns: the policy, what can be returned, the RMA and next steps."""
from __future__ import annotations

from datetime import datetime
from typing import Dict, List

from bot.core.formatting import join_words, money
from bot.core.models import ReturnResolution
from bot.core.shop_dates import long_date
from bot.profile.shop_profile import ShopProfile
from bot.returns.eligibility import ItemEligibility, OrderEligibility
from bot.returns.refunds import return_status_line
from bot.returns.service import ReturnResult
from bot.text.buttons import intent_button

EXCHANGE = ReturnResolution.EXCHANGE.value
START_RETURN_BUTTON = intent_button("Start a return", "return_request")
WHICH_ITEM = "Which one would you like to return?"
ALL_ITEMS = "All of them"
WHY_RETURN = "Why are you returning it? Pick a reason or tell me in your own words."
REFUND_OR_EXCHANGE = "Would you like a refund or an exchange?"


def resolution_options(profile: ShopProfile) -> Dict[str, str]:
    """Slot value -> button title: 'refund:<method>' per refund method, and exchange if allowed."""
    options = {f"refund:{m}": f"Refund ({m})" for m in profile.refund_methods}
    if profile.exchange_allowed:
        options[EXCHANGE] = "Exchange"
    return options


def reason_title(reason: str) -> str:
    return reason.capitalize()


def item_title(item: ItemEligibility, currency: str = "USD") -> str:
    """A button label: 'Merino Wool Sweater ($89.00)', with the quantity when more than one."""
    count = f"{item.returnable_quantity} × " if item.returnable_quantity > 1 else ""
    return f"{count}{item.name} ({money(item.unit_price_cents, currency)})"


def returnable_items_text(check: OrderEligibility, profile: ShopProfile) -> str:
    """Which items of the order can be returned (until when), and why the others can't."""
    lines: List[str] = []
    if check.eligible:
        until = f" until {long_date(check.last_day, check.today)}" if check.last_day else ""
        lines.append(f"From order #{check.order_number} you can return{until}:")
        lines += [f"• {item_title(i, profile.currency)}" for i in check.eligible]
    if check.ineligible:
        if check.eligible:
            lines.append("These can't be returned:")
        else:
            lines.append(f"Sorry, nothing from order #{check.order_number} can be returned:")
        lines += [f"• {i.name}: {i.reason}." for i in check.ineligible]
        lines.append("If you have a question about this, I can connect you with our team.")
    return "\n".join(lines)


def _label_step(profile: ShopProfile) -> str:
    if profile.return_shipping_paid_by == "shop":
        return "We'll email you a prepaid return label: return shipping is free."
    fee = money(profile.return_shipping_fee_cents, profile.currency)
    return f"We'll email you a prepaid return label; its {fee} cost comes off your refund."


def return_confirmation_text(result: ReturnResult, profile: ShopProfile, now: datetime) -> str:
    """The RMA and what to do next; or the existing return; or why nothing was created."""
    if not result.ok or result.facts is None:
        return result.message
    f = result.facts
    if result.existing:
        return (f"You already have a return for {', '.join(f.item_names)}, so I didn't open "
                f"another one.\n" + return_status_line(f, profile, now))
    lines = [f"Your return is set up. Your return number is {f.rma} "
             f"({', '.join(f.item_names)}).", "Next steps:", f"1. {_label_step(profile)}",
             f"2. Pack the items securely and put a note with {f.rma} inside the box."]
    if result.last_drop_off_day and result.today:
        left = (result.last_drop_off_day - result.today).days
        by = long_date(result.last_drop_off_day, result.today)
        within = "today" if left <= 0 else f"within {left} day{'s' if left != 1 else ''} (by {by})"
        lines.append(f"3. Drop the parcel off at any carrier location {within}.")
    else:
        lines.append("3. Drop the parcel off at any carrier location.")
    days = profile.refund_processing_days
    if f.resolution == "refund":
        lines.append(f"4. Once it reaches our warehouse, we'll refund "
                     f"{money(f.refund_cents, profile.currency)} to your {f.refund_method} "
                     f"within {days} business days.")
    else:
        lines.append(f"4. Once it reaches our warehouse, we'll send your exchange within "
                     f"{days} business days.")
    for other in result.also_existing:
        lines.append(f"({', '.join(other.item_names)} already had a return: {other.rma}.)")
    return "\n".join(lines)


def return_policy_text(profile: ShopProfile) -> str:
    """The return policy, built from the shop profile."""
    days = profile.return_window_days
    lines = ["Our return policy:",
             f"• You can return items within {days} days of delivery."]
    if profile.final_sale_categories:
        lines.append(f"• Final-sale items ({join_words(profile.final_sale_categories)}) can't be "
                     "returned.")
    else:
        lines.append("• Items marked final sale can't be returned.")
    lines.append(f"• Reasons we accept: {join_words(profile.return_reasons)}.")
    lines.append(f"• Refunds: to your {' or as '.join(profile.refund_methods)}.")
    lines.append("• Exchanges: yes, you can ask for an exchange instead of a refund."
                 if profile.exchange_allowed else
                 "• We don't do exchanges: return the item for a refund and order the one "
                 "you want.")
    if profile.return_shipping_paid_by == "shop":
        lines.append("• Return shipping is free: we email you a prepaid label.")
    else:
        fee = money(profile.return_shipping_fee_cents, profile.currency)
        lines.append(f"• Return shipping: a {fee} prepaid label is deducted from your refund.")
    lines.append(f"• We refund within {profile.refund_processing_days} business days after "
                 "your return arrives at our warehouse.")
    lines.append("To start a return, just tell me your order number.")
    return "\n".join(lines)
