"""`python -m bench load`: latency, throughput, errors, memory and start-up time of the bot.

Starts the Rasa server and the action server (ops/stack.py) on free ports with their own demo
shop, times the start until the first answer, then holds N concurrent scripted conversations
for each N, with short conversations (a new sender id each) and with long-lived senders (one
id per customer, so their conversations grow), times one conversation of 200 turns by bucket of
40 (cost against conversation length), and finally times bare NLU parsing (the HTTP API's
/model/parse) to split a message's time between understanding and the rest. Writes
reports/bench/load[-LABEL].json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
import urllib.request
from typing import Any, Dict, List, Optional, Sequence

from bench import targets
from bench.conversations import CONVERSATIONS
from bench.load_generator import growing_conversation, hold_conversations, latency_summary
from bench.machine import load_averages
from bench.process_memory import MemorySampler, largest_peak_rss_mb, peak_rss_mb
from bench.results import table, write_report

LEVEL_HEADERS = ["N", "messages", "msg/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
                 "wrong", "load 1m"]


def parse_timings(rasa_url: str, token: str, samples: int) -> Dict[str, Any]:
    """Bare NLU parsing of the scripted messages, one at a time, over the HTTP API."""
    texts = [t.text for c in CONVERSATIONS for t in c.turns]
    timings = []
    for i in range(samples):
        body = json.dumps({"text": texts[i % len(texts)]}).encode()
        request = urllib.request.Request(f"{rasa_url}/model/parse?token={token}", data=body,
                                         headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
        timings.append((time.perf_counter() - started) * 1000)
    return {"samples": samples, **latency_summary(timings)}


async def run_levels(webhook_url: str, concurrency: Sequence[int], duration: float,
                     max_messages: int, pids: Dict[str, int], warmup: int = 0,
                     senders: Sequence[str] = ("short", "long"), growth_turns: int = 0) -> Dict[str, Any]:
    """Every load level in turn (for short and for long-lived senders), then the growing
    conversation, sampling the servers' memory all along."""
    sampler = MemorySampler(pids)
    sampler.start()
    if warmup:
        # First messages pay for lazy set-up (TensorFlow graphs, DB pools): not counted.
        await hold_conversations(webhook_url, 1, 120, warmup, sender_prefix="warmup")
    levels: Dict[str, List[Dict[str, Any]]] = {"short": [], "long": []}
    for kind in senders:
        for n in concurrency:
            before = load_averages()
            result = await hold_conversations(webhook_url, n, duration, max_messages,
                                              sender_prefix=f"bench-{kind}", long_lived=kind == "long")
            levels[kind].append({**result.as_dict(), "load_before": before, "load_after": load_averages()})
    growth = await growing_conversation(webhook_url, growth_turns) if growth_turns else None
    sampled = await sampler.stop()
    peaks = {name: max(sampled[name], peak_rss_mb(pid)) for name, pid in pids.items()}
    # One process per server, unless several workers: then the largest is one worker's model.
    largest = {name: largest_peak_rss_mb(pid) for name, pid in pids.items()}
    return {"levels": levels["short"], "long_lived_levels": levels["long"], "growth": growth,
            "peak_rss_mb": peaks, "largest_process_peak_rss_mb": largest}


def level_rows(levels: List[Dict[str, Any]]) -> List[List[Any]]:
    return [[lv["concurrency"], lv["messages"], lv["messages_per_second"], lv["p50_ms"],
             lv["p95_ms"], lv["p99_ms"], lv["max_ms"], lv["errors"], lv["wrong_answers"],
             lv["load_before"]["load_1m"]] for lv in levels]


def print_report(report: Dict[str, Any]) -> None:
    print(f"Model {report['model']}; database {report['database']}")
    if report.get("seconds_to_first_answer") is not None:
        print(f"Start to first answer: {report['seconds_to_first_answer']:.1f} s")
    for title, key in (("Short conversations (a new sender id each)", "levels"),
                       ("Long-lived senders (one id per customer: conversations grow)", "long_lived_levels")):
        if not report.get(key):
            continue
        print(title)
        print(table(LEVEL_HEADERS, level_rows(report[key])))
        for lv in report[key]:
            for sample in lv["error_samples"]:
                print(f"  N={lv['concurrency']}: {sample}")
    growth = report.get("growth")
    if growth:
        print(f"One conversation of {growth['turns']} turns ({growth['errors']} errors, "
              f"{growth['wrong_answers']} wrong answers): last bucket's p50 / first's = "
              f"{growth['last_over_first_p50']}")
        print(table(["turns", "p50 ms", "p99 ms", "max ms"],
                    [[b["turns"], b["p50_ms"], b["p99_ms"], b["max_ms"]] for b in growth["buckets"]]))
    if report.get("nlu_parse"):
        p = report["nlu_parse"]
        print(f"NLU parse alone (/model/parse, one at a time): p50 {p['p50_ms']} ms, "
              f"p95 {p['p95_ms']} ms, mean {p['mean_ms']} ms")
    print("Peak RSS: " + ", ".join(f"{k} {v:.0f} MiB" for k, v in report["peak_rss_mb"].items()))
    if report.get("workers", 1) > 1:
        print(f"{report['workers']} workers; largest single process: " + ", ".join(
            f"{k} {v:.0f} MiB" for k, v in report["largest_process_peak_rss_mb"].items()))
    print()
    print(table(targets.TARGET_HEADERS, targets.target_table(report["targets"])))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__)
    parser.add_argument("--concurrency", default="1,10,50", help="N values, comma-separated")
    parser.add_argument("--duration", type=float, default=30, help="seconds per level (default 30)")
    parser.add_argument("--max-messages", type=int, default=5000, help="message cap per level")
    parser.add_argument("--warmup", type=int, default=20, help="uncounted messages first")
    parser.add_argument("--parse-samples", type=int, default=200, help="bare NLU parses to time")
    parser.add_argument("--database-url", help="shop database (default: a fresh demo shop)")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for both servers (run-time settings to compare)")
    parser.add_argument("--workers", type=int, default=1,
                        help="Sanic workers of the Rasa server (above 1 locks conversations in Redis)")
    parser.add_argument("--senders", default="short,long",
                        help="short (a new sender id per conversation), long (one per customer), or both")
    parser.add_argument("--growth-turns", type=int, default=200,
                        help="turns of the one growing conversation (0: skip it)")
    parser.add_argument("--label", help="report name suffix: reports/bench/load-LABEL.json")
    args = parser.parse_args(argv)

    from bench.bot_servers import running_bot
    from ops.model_cache import ensure_model

    concurrency = [int(n) for n in args.concurrency.split(",") if n.strip()]
    env = dict(item.split("=", 1) for item in args.env)
    model = ensure_model()
    with running_bot(model, database_url=args.database_url, env=env, workers=args.workers) as bot:
        senders = [k.strip() for k in args.senders.split(",") if k.strip() in ("short", "long")]
        measured = asyncio.run(run_levels(bot.webhook_url, concurrency, args.duration,
                                          args.max_messages, bot.pids(), args.warmup, senders,
                                          args.growth_turns))
        parse = parse_timings(bot.stack.rasa_url, bot.stack.api_token, args.parse_samples) \
            if args.parse_samples else None
        report: Dict[str, Any] = {
            "model": model.name,
            "database": "demo shop, 3,000 orders (SQLite)" if not args.database_url
            else _safe(args.database_url),
            "settings": env,
            "workers": args.workers,
            "seconds_to_first_answer": bot.seconds_to_first_answer,
            "duration_per_level": args.duration,
            **measured,
            "nlu_parse": parse,
        }
    report["targets"] = targets.load_targets(report)
    target = write_report("load" + (f"-{args.label}" if args.label else ""), report)
    print_report(report)
    print(f"\nReport: {target}")
    levels = report["levels"] + report.get("long_lived_levels", [])
    return 0 if all(lv["errors"] == 0 for lv in levels) else 1


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
