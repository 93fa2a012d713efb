"""What a customer reads when the bot could not handle their message at all, e.g. because a
service it depends on (the lock store, the tracker store) is down: a short apology and what to
do, instead of silence. The details go to the log."""
from __future__ import annotations

from bot.profile.shop_profile import ProfileError, current_profile


def technical_trouble_text() -> str:
    try:
        email = current_profile().support_email
    except ProfileError:  # the profile was checked at start; never fail while apologising
        email = None
    contact = f", or write to us at {email}" if email else ""
    return ("Sorry, something went wrong on our side and I couldn't answer that. "
            f"Please send your message again in a minute{contact}.")


def session_expired_text() -> str:
    """For a widget message under a session the server does not know (copied or made up)."""
    return "This chat session isn't valid any more. Please reload the page to start a new chat."
