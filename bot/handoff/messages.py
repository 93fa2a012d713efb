"""What the customer reads about a handoff: the expected wait, what happens next (in or outside
support hours), an agent's message marked as from a person, and the bot taking over again.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from bot.core.formatting import clock, day
from bot.core.shop_dates import local
from bot.handoff.policy import PICKUP_MINUTES
from bot.handoff.support_hours import SupportStatus


def wait_text(minutes: int) -> str:
    if minutes <= PICKUP_MINUTES:
        return "a couple of minutes"
    if minutes < 60:
        return f"about {minutes} minutes"
    hours = round(minutes / 60 * 2) / 2
    return "about an hour" if hours <= 1 else f"about {hours:g} hours"


#: Said first when a complaint is handed over: the customer is heard before being passed on.
COMPLAINT_ACKNOWLEDGEMENT = ("I'm really sorry about this, and thank you for telling us: it's not the "
                             "experience we want you to have.")


def next_steps_text(*, position: int, wait_minutes: int, support: SupportStatus,
                    now: datetime, profile, customer_email: Optional[str] = None) -> str:
    """What happens next, for the customer who was just handed to a person."""
    intro = ("I'm passing you to a person from our team. They'll see our whole conversation, "
             "so you won't need to repeat anything.")
    if support.open_now:
        if position <= 0:
            return f"{intro} Someone from our team is with you now, right here in this chat."
        place = "You're next in line" if position == 1 else f"You're number {position} in line"
        return (f"{intro} {place}; the expected wait is {wait_text(wait_minutes)}. "
                "Please keep this chat open: their replies will appear here.")
    text = f"{intro} Our team isn't available right now (we're here {profile.support_hours})."
    when = _when_open(support, now, profile)
    if customer_email:
        return f"{text} Someone will email you at {customer_email} {when}."
    return (f"{text} Someone will get back to you by email {when}. What's your email address, "
            f"so they can reach you? (You can also write to us at {profile.support_email}.)")


def _when_open(support: SupportStatus, now: datetime, profile) -> str:
    if support.next_opening_local is None:
        return "as soon as they can"
    when = day(support.next_opening_local, local(now, profile.timezone))
    return f"when we open: {when}, at {clock(support.next_opening_local.time())} {profile.timezone_label}"


#: The button that ends the wait for a person (bot.handoff.waiting).
BACK_TO_ASSISTANT_TITLE = "Talk to the assistant"


def waiting_text(*, position: int, wait_minutes: int, support: SupportStatus, now: datetime,
                 profile, customer_email: Optional[str] = None) -> str:
    """The brief answer to a message written while waiting for a person."""
    added = "Thanks, I've added that for our team."
    back = f'If you\'d rather go on with me, choose "{BACK_TO_ASSISTANT_TITLE}".'
    if support.open_now:
        place = "You're next in line" if position <= 1 else f"You're number {position} in line"
        return f"{added} {place}; the expected wait is {wait_text(wait_minutes)}. {back}"
    when = _when_open(support, now, profile)
    if customer_email:
        return f"{added} We're closed right now; someone will email you at {customer_email} {when}. {back}"
    return (f"{added} We're closed right now; someone will reply {when}. Leave your email address "
            f"and they'll write to you there. {back}")


def released_text() -> str:
    """The customer chose the assistant over waiting."""
    return "OK, I've let our team know you'd rather go on with me. What can I help you with?"


def returned_unclaimed_text(*, support: SupportStatus, now: datetime, profile,
                            customer_email: Optional[str] = None) -> str:
    """Nobody picked the handoff up in time: the bot is back, with an apology."""
    sorry = "I'm sorry: nobody from our team could pick up your conversation in time, so I'm back."
    if support.open_now:
        return f"{sorry} Ask me anything, or ask for a person again and you'll be put back in line."
    when = _when_open(support, now, profile)
    if customer_email:
        return f"{sorry} Our team is away; someone will email you at {customer_email} {when}."
    return f"{sorry} Our team is away; you can write to {profile.support_email} and they'll answer {when}."


def from_person(agent: str, text: str) -> str:
    """An agent's message as the customer sees it, marked as from a person."""
    name = " ".join(str(agent or "").split()) or "Our team"
    return f"{name} (from our team): {text}"


def resumed_text() -> str:
    """What the bot says when the agent has resolved the handoff and it answers again."""
    return ("Our team member has finished, so I'm back. "
            "Is there anything else I can help you with?")


#: The start of a reminder note in a transcript (how the lifecycle knows it reminded already).
REMINDER_PREFIX = "Reminder:"
REQUEUED_PREFIX = "Back in the queue:"


def reminder_note(agent: str, minutes: int) -> str:
    """For the agents: a claimed conversation whose customer waits for an answer."""
    return f"{REMINDER_PREFIX} the customer has been waiting {minutes} minutes for an answer from {agent}."


def requeued_note(agent: str, minutes: int) -> str:
    """For the agents: the claimed conversation went back to the queue."""
    return (f"{REQUEUED_PREFIX} {agent} did not answer for {minutes} minutes, so any agent can "
            "pick this up now.")
