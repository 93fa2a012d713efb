"""`python -m bench profile`: where a message's time goes in the Rasa and action servers.

Starts the bot as `bench load` does, holds N scripted conversations and samples both
servers with py-spy (a sampling profiler outside the process, so the servers run unchanged)
for the same time. Writes the collapsed stacks to reports/bench/profile/<server>.txt (open
them in speedscope.app or feed them to flamegraph.pl) and prints the functions that were on
the stack most often (inclusive) and those running themselves (self).
"""
from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bench.load_generator import growing_conversation, hold_conversations
from bench.results import REPORT_DIR, table, write_report

PROFILE_DIR = REPORT_DIR / "profile"
_LINE = re.compile(r":\d+\)$")


def _frame_name(frame: str) -> str:
    """'parse (rasa/core/agent.py:123)' -> 'parse (rasa/core/agent.py)': lines merged."""
    frame = _LINE.sub(")", frame.strip())
    return frame.replace(str(Path(sys.prefix) / "lib" / "python3.10" / "site-packages") + "/", "")


#: Leaf frames of a thread that waits (the event loop in select, an idle pool worker): py-spy
#: sees them as running because they wait inside C, but they are not the message's time.
WAITING = {"serve (sanic/server/runners.py)", "_worker (concurrent/futures/thread.py)",
           "select (selectors.py)", "wait (threading.py)", "_run_once (asyncio/base_events.py)"}


def summarize(collapsed: str, top: int = 15) -> Dict[str, Any]:
    """Inclusive and self shares per function of the busy samples in py-spy's raw
    (collapsed) output; samples of waiting threads are counted apart."""
    inclusive: Counter = Counter()
    own: Counter = Counter()
    total = waiting = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        # --subprocesses puts the process (and thread) as the first frames: not functions
        frames = [_frame_name(f) for f in stack.split(";")
                  if f.strip() and not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        if frames[-1] in WAITING:
            waiting += count
            continue
        total += count
        for name in set(frames):
            inclusive[name] += count
        own[frames[-1]] += count

    def share(counter: Counter) -> List[Tuple[str, float]]:
        return [(name, round(100 * n / total, 1)) for name, n in counter.most_common(top)] if total else []

    return {"samples": total, "waiting_samples": waiting,
            "inclusive_percent": share(inclusive), "self_percent": share(own)}


def _py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: run `make setup` (it is in the dev extra)")
    return found


async def profile(webhook_url: str, pids: Dict[str, int], concurrency: int, duration: float,
                  rate: int, out_dir: Path, grown: Optional[int] = None,
                  blocking: bool = False) -> Dict[str, Any]:
    """Samples both servers for `duration` s under `concurrency` scripted conversations, or,
    with `grown`, while one conversation that already has `grown` turns goes on growing (what
    a message costs late in a long conversation; `grown=0` is the same from its start)."""
    sender = None
    if grown is not None:
        sender = f"profile-grown-{uuid.uuid4().hex[:8]}"
        await growing_conversation(webhook_url, grown, sender=sender)
    out_dir.mkdir(parents=True, exist_ok=True)
    spies = {}
    for name, pid in pids.items():
        target = out_dir / f"{name.replace(' ', '-')}.txt"
        spies[name] = (target, subprocess.Popen(
            [_py_spy(), "record", "--pid", str(pid), "--duration", str(int(duration)),
             "--rate", str(rate), "--format", "raw", "--output", str(target),
             "--subprocesses", *([] if blocking else ["--nonblocking"])],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    await asyncio.sleep(1)  # py-spy attaches
    if sender is None:
        load = (await hold_conversations(webhook_url, concurrency, duration - 2, 100_000,
                                         sender_prefix="profile")).as_dict()
    else:
        growth = await growing_conversation(webhook_url, 100_000, sender=sender,
                                            deadline=time.monotonic() + duration - 2)
        load = {"concurrency": 1, "grown_from_turn": grown, "messages": growth["answered"],
                "messages_per_second": round(growth["answered"] / (duration - 2), 1),
                "p50_ms": growth["p50_ms"], "errors": growth["errors"]}
    summaries = {}
    for name, (target, spy) in spies.items():
        _, err = spy.communicate(timeout=duration + 60)
        if spy.returncode != 0 or not target.exists():
            raise RuntimeError(f"py-spy failed on the {name}: {err.decode(errors='replace')[-500:]}")
        summaries[name] = {"collapsed_stacks": str(target), **summarize(target.read_text())}
    return {"load": load, "servers": summaries}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench profile", description=__doc__)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--rate", type=int, default=200, help="samples per second")
    parser.add_argument("--grown", type=int, metavar="TURNS",
                        help="profile one conversation that already has TURNS turns, as it grows")
    parser.add_argument("--blocking", action="store_true",
                        help="pause the servers for each sample: slower, but stacks never torn (the "
                             "default reads them while they run, and a few come out mixed)")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--label", help="report name suffix")
    args = parser.parse_args(argv)

    from bench.bot_servers import running_bot
    from ops.model_cache import ensure_model

    env = dict(item.split("=", 1) for item in args.env)
    name = "profile" + (f"-{args.label}" if args.label else "")
    with running_bot(ensure_model(), env=env) as bot:
        asyncio.run(hold_conversations(bot.webhook_url, 1, 60, 20, sender_prefix="warmup"))
        result = asyncio.run(profile(bot.webhook_url, bot.pids(), args.concurrency, args.duration,
                                     args.rate, REPORT_DIR / name, args.grown, args.blocking))
    target = write_report(name, {"settings": env, **result})
    lv = result["load"]
    print(f"Under load: N={lv['concurrency']}, {lv['messages']} messages"
          + (f" from turn {args.grown}" if args.grown is not None else "") + ", "
          f"{lv['messages_per_second']} msg/s, p50 {lv['p50_ms']} ms (slowed by the sampling)")
    for server, s in result["servers"].items():
        print(f"\n{server}: {s['samples']} busy samples ({s['waiting_samples']} waiting)")
        print(table(["inclusive %", "function"], [[p, f] for f, p in s["inclusive_percent"]]))
        print(table(["self %", "function"], [[p, f] for f, p in s["self_percent"]]))
    print(f"\nReport: {target}")
    return 0
