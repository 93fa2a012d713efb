"""N concurrent scripted conversations over the REST channel, timed message by message.

Each simulated customer goes through the scripted conversations one after another, each under
a new sender id (a fresh tracker), and waits for the reply before sending the next message,
as a person would (no think time: the bot is kept as busy as N customers can make it). The
run stops at the first of a time budget and a message budget, so it is bounded either way.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import aiohttp
import numpy as np

from bench.conversations import CONVERSATIONS, Conversation, Turn

#: How many error descriptions a result keeps, so a broken run stays readable.
MAX_ERROR_SAMPLES = 10


@dataclass
class LevelResult:
    concurrency: int
    messages: int
    conversations: int
    seconds: float
    messages_per_second: float
    p50_ms: Optional[float]
    p95_ms: Optional[float]
    p99_ms: Optional[float]
    max_ms: Optional[float]
    mean_ms: Optional[float]
    errors: int  # no reply: HTTP error, timeout, refused connection, empty or malformed body
    wrong_answers: int  # a reply without the text the script expects
    error_samples: List[str] = field(default_factory=list)

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)


def latency_summary(latencies_ms: Sequence[float]) -> Dict[str, Optional[float]]:
    """p50/p95/p99, max and mean in ms (linear interpolation between ranks)."""
    if not latencies_ms:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None, "mean_ms": None}
    values = np.asarray(latencies_ms, dtype=float)
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"p50_ms": round(float(p50), 1), "p95_ms": round(float(p95), 1),
            "p99_ms": round(float(p99), 1), "max_ms": round(float(values.max()), 1),
            "mean_ms": round(float(values.mean()), 1)}


def reply_text(body: Any) -> str:
    """The texts of a REST reply, joined (the channel sends each paragraph on its own)."""
    return "\n\n".join(str(m.get("text") or "") for m in body if isinstance(m, dict))


class _Run:
    """Shared state of one load level: the budgets and what has been measured so far."""

    def __init__(self, max_messages: int, deadline: float) -> None:
        self.max_messages = max_messages
        self.deadline = deadline
        self.sent = 0
        self.latencies_ms: List[float] = []
        self.conversations = 0
        self.errors = 0
        self.wrong_answers = 0
        self.samples: List[str] = []

    def may_send(self) -> bool:
        if self.sent >= self.max_messages or time.monotonic() >= self.deadline:
            return False
        self.sent += 1
        return True

    def note(self, problem: str) -> None:
        if len(self.samples) < MAX_ERROR_SAMPLES:
            self.samples.append(problem)


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str,
               timeout: float) -> Any:
    """POST one message; the decoded JSON reply (raises on HTTP errors and timeouts)."""
    async with session.post(url, json={"sender": sender, "message": text},
                            timeout=aiohttp.ClientTimeout(total=timeout)) as response:
        response.raise_for_status()
        return await response.json(content_type=None)


async def _customer(session: aiohttp.ClientSession, url: str, run: _Run, index: int,
                    conversations: Sequence[Conversation], prefix: str, timeout: float) -> None:
    while True:
        conversation = conversations[(index + run.conversations) % len(conversations)]
        run.conversations += 1
        sender = f"{prefix}-{index}-{uuid.uuid4().hex[:8]}"
        for turn in conversation.turns:
            if not run.may_send():
                return
            await _one_message(session, url, run, sender, turn, conversation.name, timeout)


async def _one_message(session: aiohttp.ClientSession, url: str, run: _Run, sender: str,
                       turn: Turn, conversation: str, timeout: float) -> None:
    started = time.perf_counter()
    try:
        body = await send(session, url, sender, turn.text, timeout)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as err:
        run.errors += 1
        run.note(f"{conversation} / {turn.text!r}: {type(err).__name__}: {err}")
        return
    elapsed_ms = (time.perf_counter() - started) * 1000
    if not isinstance(body, list) or not body:
        run.errors += 1
        run.note(f"{conversation} / {turn.text!r}: no reply ({body!r})")
        return
    run.latencies_ms.append(elapsed_ms)
    if turn.expect and turn.expect.lower() not in reply_text(body).lower():
        run.wrong_answers += 1
        run.note(f"{conversation} / {turn.text!r}: expected {turn.expect!r}, got "
                 f"{reply_text(body)[:120]!r}")


async def hold_conversations(webhook_url: str, concurrency: int, duration: float,
                             max_messages: int,
                             conversations: Sequence[Conversation] = CONVERSATIONS,
                             timeout: float = 60.0, sender_prefix: str = "bench") -> LevelResult:
    """Keep `concurrency` customers talking for `duration` seconds or `max_messages` messages."""
    run = _Run(max_messages, time.monotonic() + duration)
    connector = aiohttp.TCPConnector(limit=concurrency)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(
            _customer(session, webhook_url, run, i, conversations, f"{sender_prefix}-c{concurrency}",
                      timeout)
            for i in range(concurrency)))
    seconds = time.perf_counter() - started
    answered = len(run.latencies_ms)
    return LevelResult(
        concurrency=concurrency, messages=answered + run.errors, conversations=run.conversations,
        seconds=round(seconds, 2), messages_per_second=round(answered / seconds, 1) if seconds else 0.0,
        errors=run.errors, wrong_answers=run.wrong_answers, error_samples=run.samples,
        **latency_summary(run.latencies_ms))
