"""N concurrent scripted conversations over the REST channel, timed message by message.

Each simulated customer goes through the scripted conversations one after another and waits for
the reply before sending the next message, as a person would (no think time: the bot is kept as
busy as N customers can make it). Short senders start each conversation under a new sender id
(a fresh tracker); long-lived ones keep theirs, so their conversations grow as real customers'
do. The run stops at the first of a time budget and a message budget, so it is bounded either way.

`growing_conversation` times one sender's messages turn by turn (cost against conversation
length): p50/p99 per bucket of turns, and the last bucket's p50 over the first's.
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
                    conversations: Sequence[Conversation], prefix: str, timeout: float,
                    long_lived: bool = False) -> None:
    own = f"{prefix}-{index}-{uuid.uuid4().hex[:8]}"
    while True:
        conversation = conversations[(index + run.conversations) % len(conversations)]
        run.conversations += 1
        sender = own if long_lived else f"{prefix}-{index}-{uuid.uuid4().hex[:8]}"
        for turn in conversation.turns:
            if not run.may_send():
                return
            # A long-lived sender's replies depend on what they said before (a verified customer
            # is not asked for the order number again): only a missing reply counts against it.
            checked = Turn(turn.text) if long_lived else turn
            await _one_message(session, url, run, sender, checked, conversation.name, timeout)


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
                             timeout: float = 60.0, sender_prefix: str = "bench",
                             long_lived: bool = False) -> LevelResult:
    """Keep `concurrency` customers talking for `duration` seconds or `max_messages` messages;
    `long_lived`: each keeps one sender id for all its conversations."""
    run = _Run(max_messages, time.monotonic() + duration)
    connector = aiohttp.TCPConnector(limit=concurrency)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(
            _customer(session, webhook_url, run, i, conversations, f"{sender_prefix}-c{concurrency}",
                      timeout, long_lived)
            for i in range(concurrency)))
    seconds = time.perf_counter() - started
    answered = len(run.latencies_ms)
    return LevelResult(
        concurrency=concurrency, messages=answered + run.errors, conversations=run.conversations,
        seconds=round(seconds, 2), messages_per_second=round(answered / seconds, 1) if seconds else 0.0,
        errors=run.errors, wrong_answers=run.wrong_answers, error_samples=run.samples,
        **latency_summary(run.latencies_ms))


#: What one long conversation repeats (the growth measurement of the performance issue).
GROWTH_SCRIPT = (Turn("hello"), Turn("what shipping options do you have?", "standard"),
                 Turn("thanks", "welcome"), Turn("bye"))


def bucket_summary(latencies_ms: Sequence[float], size: int) -> List[Dict[str, Any]]:
    """p50/p99 of each run of `size` turns: turns 0-39, 40-79, ..."""
    rows = []
    for start in range(0, len(latencies_ms), size):
        chunk = latencies_ms[start:start + size]
        summary = latency_summary(chunk)
        rows.append({"turns": f"{start}-{start + len(chunk) - 1}", "p50_ms": summary["p50_ms"],
                     "p99_ms": summary["p99_ms"], "max_ms": summary["max_ms"]})
    return rows


async def growing_conversation(webhook_url: str, turns: int = 200, bucket: int = 40,
                               timeout: float = 60.0, sender: Optional[str] = None,
                               deadline: Optional[float] = None) -> Dict[str, Any]:
    """One sender, `turns` messages of GROWTH_SCRIPT in a row: latency by turn bucket.
    `sender` continues a conversation; `deadline` (time.monotonic) stops it early."""
    sender = sender or f"bench-growth-{uuid.uuid4().hex[:8]}"
    latencies: List[float] = []
    errors = wrong = 0
    async with aiohttp.ClientSession() as session:
        for i in range(turns):
            if deadline is not None and time.monotonic() >= deadline:
                break
            turn = GROWTH_SCRIPT[i % len(GROWTH_SCRIPT)]
            started = time.perf_counter()
            try:
                body = await send(session, webhook_url, sender, turn.text, timeout)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                errors += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            if turn.expect and turn.expect.lower() not in reply_text(body).lower():
                wrong += 1
    buckets = bucket_summary(latencies, bucket)
    first, last = buckets[0]["p50_ms"] if buckets else None, buckets[-1]["p50_ms"] if buckets else None
    return {"turns": turns, "answered": len(latencies), "bucket": bucket, "buckets": buckets,
            "errors": errors, "wrong_answers": wrong,
            "last_over_first_p50": round(last / first, 2) if first and last else None,
            **latency_summary(latencies)}
