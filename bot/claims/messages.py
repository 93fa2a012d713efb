"""Customer-facing wording for claims: what was recorded, what the shop offers, what happens next,
and the questions and button titles of the claim flows. Pure: plain values in, text out."""
from __future__ import annotations

from typing import Iterable, List, Optional, Tuple

from bot.core.formatting import money
from bot.profile.shop_profile import ShopProfile
from bot.text.buttons import HUMAN_BUTTON, Button, inform_button

ORDER_NOT_FOUND = "I couldn't find that order."
CLAIM_NOT_FOUND = "I couldn't find that claim on this order."
UNKNOWN_ITEM = "That item isn't part of this order."
WHICH_PROBLEM = "Is the item damaged, or did we send the wrong item?"
DESCRIBE_IT = "Please tell me in a few words what's wrong with it."
WHICH_ITEM = "Which item is it about?"
WHAT_NEXT = "What would you like us to do?"
#: Button titles of the remedies (a person is offered with the handoff button).
RESOLUTION_TITLES = {"refund": "Refund", "replacement": "Send a replacement", "reship": "Send a new parcel"}


def resolution_buttons(offered: Iterable[str]) -> List[Button]:
    """A button per remedy; "human" is the handoff button."""
    return [dict(HUMAN_BUTTON) if option == "human" else
            inform_button(RESOLUTION_TITLES.get(option, option.capitalize()), "claim_resolution", option)
            for option in offered]


def outcome_text(resolution: Optional[str], item_name: Optional[str], amount_cents: int,
                 profile: ShopProfile) -> str:
    """What happens next for a claim's chosen resolution (None: nothing chosen yet)."""
    if resolution is None:
        return "our team is looking into it."
    if resolution == "refund":
        return (f"we'll refund {money(amount_cents, profile.currency)} to your "
                f"{profile.refund_methods[0]} within {profile.refund_processing_days} "
                "business days.")
    if resolution == "replacement":
        return f"we'll send you a new {item_name or 'item'} at no cost and email you the tracking number."
    if resolution == "reship":
        return "we'll send you a new parcel at no cost and email you the tracking number."
    return "our team has it and a person will get back to you."


def offer_text(offered: Tuple[str, ...], cents: int, currency: str) -> str:
    words = {"refund": f"a refund of {money(cents, currency)}", "replacement": "a replacement"}
    options = [words[o] for o in offered if o in words]
    if not options:
        return "Our team will take it from here; I can connect you with them now."
    return f"Would you like {' or '.join(options)}? Or I can connect you with our team."


def choose_one_of_text(offered: Iterable[str]) -> str:
    return "Please choose one of: " + ", ".join(offered) + "."


def not_delivered_text(order_number: str) -> str:
    return (f"Order #{order_number} hasn't been delivered yet, "
            "so I can't report a problem with its items. Ask me where it is.")


def nothing_to_report_text(order_number: str) -> str:
    return (f"Order #{order_number} hasn't been delivered yet, so there's no item "
            "to report. Ask me where it is, or talk to a person.")


def reported_text(kind: str, item_name: str, claim_number: str, offer: str) -> str:
    what = (f"your {item_name} arrived damaged" if kind == "damaged_item"
            else f"you didn't get the {item_name} you ordered")
    return f"I'm sorry {what}. I've recorded it as claim {claim_number}. " + offer


def already_reported_text(claim_number: str, offer: str) -> str:
    return f"You already reported this: claim {claim_number}. " + offer


#: The opening of a reply that ends with what happens next (`outcome_text`).
_BEFORE_OUTCOME = {
    "already_reported": "You already reported this: claim {claim}, and ",
    "parcel_already_reported": "You already reported this parcel: claim {claim}, and ",
    "settled": "Claim {claim} is already settled: ",
    "chosen": "Thank you. Claim {claim}: ",
    "recorded": "Thank you. I've recorded claim {claim}: ",
}


def with_outcome(opening: str, claim_number: str, outcome: str) -> str:
    """`opening` (a key of _BEFORE_OUTCOME) for the claim, then what happens next."""
    return _BEFORE_OUTCOME[opening].format(claim=claim_number) + outcome
