"""Calls into the (synchronous, SQLAlchemy) handoff service from the event loop, off its thread."""
from __future__ import annotations

import asyncio
import functools
import logging
from types import ModuleType
from typing import Any, Dict, List, Optional

from bot.reports import surveys

log = logging.getLogger(__name__)


def ask_survey(backend: ModuleType, handoff: Dict[str, Any]) -> None:
    """The survey's first question on a just-resolved handoff; a failure is logged, never the
    agent's problem (the handoff is resolved either way)."""
    try:
        first = surveys.offer_after_handoff(handoff["conversation_id"], handoff.get("channel"), handoff["id"])
        if first is not None:
            backend.add_closing_message(handoff["id"], first.text)
    except Exception:
        log.exception("could not ask for a survey after handoff %s", handoff.get("id"))


class _NeverRaised(Exception):
    """Stands in for an error class a backend does not define."""


class DeskService:
    """The handoff service's functions as coroutines, each run in the loop's thread pool.

    `backend` is `bot.handoff.service` unless a test passes a stand-in with the same
    functions and exception classes.
    """

    def __init__(self, backend: Optional[ModuleType] = None) -> None:
        if backend is None:
            from bot.handoff import service as handoff_service

            backend = handoff_service
        self.backend: ModuleType = backend
        self.NotFound = backend.HandoffNotFound
        self.StateError = backend.HandoffStateError
        self.InputError = getattr(backend, "HandoffInputError", _NeverRaised)

    async def _run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        call = functools.partial(getattr(self.backend, name), *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(None, call)

    async def list(self, status: Optional[str] = None) -> List[Dict[str, Any]]:
        return await self._run("list_handoffs", status=status)

    async def get(self, handoff_id: Any) -> Dict[str, Any]:
        """The handoff; NotFound when there is none."""
        found = await self._run("get_handoff", handoff_id)
        if found is None:
            raise self.NotFound(f"no handoff {handoff_id}")
        return found

    async def claim(self, handoff_id: Any, agent: str) -> Dict[str, Any]:
        return await self._run("claim", handoff_id, agent)

    async def add_agent_message(self, handoff_id: Any, agent: str, text: str) -> Dict[str, Any]:
        return await self._run("add_agent_message", handoff_id, agent, text)

    async def claim_reply(self, message_id: int) -> Any:
        return await self._run("claim_reply", message_id)

    async def claim_due_replies(self, limit: int = 1) -> List[Any]:
        return await self._run("claim_due_replies", limit=limit)

    async def settle_reply(self, message_id: int, error: Optional[str], failed: bool = True,
                           attempt: Optional[int] = None) -> None:
        await self._run("settle_reply", message_id, error, failed=failed, attempt=attempt)

    async def resolve(self, handoff_id: Any, agent: str) -> Dict[str, Any]:
        """Resolve, then ask the customer how it went (if the profile says so) after the bot's
        "I'm back": the question goes out like the agent's messages."""
        resolved = await self._run("resolve", handoff_id, agent)
        if hasattr(self.backend, "add_closing_message"):
            await asyncio.get_running_loop().run_in_executor(None, ask_survey, self.backend, resolved)
        return resolved
