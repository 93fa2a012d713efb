"""One customer message handled by Rasa, watched so that a failure is never answered as if all
were well, nor with silence.

Rasa goes on when a part fails: with the tracker store down its fail-safe answers from an empty
conversation in memory (and keeps nothing), with the action server down it logs that "the
actions events are lost" and predicts on. The customer then reads a greeting as if they had
never written, a question asked again, or nothing. Here, the bot's replies of a turn are held
until the turn ends (`HeldOutput`); if the tracker store (stores/sql_tracker_store.py) or a
custom action (Rasa's processor log) reported a failure meanwhile, or the turn raised (the lock
store is down), the customer gets the short apology asking them to send it again instead.
`run_turn` does this for every channel.
"""
from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage

from bot.text.trouble_message import technical_trouble_text

log = logging.getLogger(__name__)

#: How Rasa's processor logs an action that failed (rasa/core/processor.py, `_run_action`).
ACTION_FAILED_LOG = "Encountered an exception while running action"


@dataclass
class Watch:
    problems: List[str] = field(default_factory=list)


_WATCH: contextvars.ContextVar[Optional[Watch]] = contextvars.ContextVar("shop_turn_watch", default=None)


def report_problem(problem: str) -> None:
    """Note that something the current turn depends on failed (no-op outside a watched turn)."""
    watch = _WATCH.get()
    if watch is not None:
        watch.problems.append(problem)


class _ActionFailures(logging.Filter):
    """Turns Rasa's log line about a failed action into a problem of the current turn."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and str(record.msg).startswith(ACTION_FAILED_LOG):
            report_problem(str(record.msg).split(".", 1)[0])
        return True  # the line is logged as before


_FILTER = _ActionFailures()
logging.getLogger("rasa.core.processor").addFilter(_FILTER)


class HeldOutput:
    """An output channel that keeps every `send_*` call until `release` (or drops them)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.held: List[Tuple[str, Tuple[Any, ...], Dict[str, Any]]] = []

    def name(self) -> Text:
        return self.inner.name()

    async def release(self) -> None:
        for method, args, kwargs in self.held:
            await getattr(self.inner, method)(*args, **kwargs)
        self.held = []

    def __getattr__(self, attr: str) -> Any:
        if not attr.startswith("send_"):
            return getattr(self.inner, attr)

        async def hold(*args: Any, **kwargs: Any) -> None:
            self.held.append((attr, args, kwargs))

        return hold


async def run_turn(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> bool:
    """Handle `message`; the bot's replies reach the customer only if nothing failed, the
    apology otherwise. True when the turn went well."""
    held = HeldOutput(message.output_channel)
    message.output_channel = held
    watch = Watch()
    token = _WATCH.set(watch)
    try:
        await on_new_message(message)
    except Exception as err:  # e.g. the lock store is down: the turn did not happen
        log.exception("could not handle a message of conversation %s", message.sender_id)
        watch.problems.append(f"the turn failed: {err}")
    finally:
        _WATCH.reset(token)
    if not watch.problems:
        await held.release()
        return True
    log.warning("conversation %s: %s; the customer was asked to send the message again",
                message.sender_id, "; ".join(watch.problems))
    await held.inner.send_text_message(message.sender_id, technical_trouble_text())
    return False
