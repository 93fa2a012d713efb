"""`python -m bench reports`: the desk's support summary over many conversation sessions.

Fills `--sessions` made-up outcomes (bot.reports.demo, spread over `--days` days) into a fresh
SQLite file and a throwaway PostgreSQL database, then times `bot.reports.summary.summary` (what
`GET /api/reports/summary` and the Reports page run) over the last 30 days and over the whole
range, `--repeat` times each. PostgreSQL is skipped, with the reason, where it is not running.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Dict, List, Optional

from bench.results import table, write_report
from bench.scale import DEFAULT_PG_ADMIN


def fill(url: str, sessions: int, days: int, now: datetime) -> float:
    """Write about `sessions` outcomes over `days` days; seconds taken."""
    from bot.core.db import engine_for
    from bot.core.models import ConversationOutcome
    from bot.reports.demo import demo_rows

    engine = engine_for(url)
    ConversationOutcome.__table__.create(engine, checkfirst=True)
    started = time.perf_counter()
    rng = random.Random(7)
    made = 0
    with engine.begin() as conn:
        while made < sessions:
            rows = demo_rows(rng, now - timedelta(days=rng.randint(0, days)), 1)
            for i, row in enumerate(rows):
                row["conversation_id"] = f"bench-{made + i}"
            conn.execute(ConversationOutcome.__table__.insert(), rows[:sessions - made])
            made += len(rows[:sessions - made])
    return time.perf_counter() - started


def timed(url: str, start: Any, end: Any, repeat: int) -> Dict[str, Any]:
    from bot.core.db import engine_for
    from bot.reports.summary import summary

    engine = engine_for(url)
    times, figures = [], {}
    for _ in range(repeat):
        began = time.perf_counter()
        figures = summary(start, end, engine=engine)
        times.append((time.perf_counter() - began) * 1000)
    return {"conversations": figures["conversations"], "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1)}


def run_one(name: str, url: str, args: argparse.Namespace, now: datetime) -> Dict[str, Any]:
    seconds = fill(url, args.sessions, args.days, now)
    end = now.date()
    return {"database": name, "fill_seconds": round(seconds, 1),
            "last_30_days": timed(url, end - timedelta(days=29), end, args.repeat),
            "whole_range": timed(url, end - timedelta(days=args.days + 1), end, args.repeat)}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench reports", description=__doc__)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres-admin-url", default=DEFAULT_PG_ADMIN)
    args = parser.parse_args(argv)

    from ops.throwaway_postgres import throwaway_postgres

    now = datetime(2026, 12, 1, 12, 0)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run_one("SQLite", f"sqlite:///{Path(tmp) / 'shop.db'}", args, now))
    try:
        with throwaway_postgres(args.postgres_admin_url, prefix="shop_bench_reports") as url:
            results.append(run_one("PostgreSQL", url, args, now))
    except Exception as err:  # no server here: say so, keep the SQLite figures
        print(f"PostgreSQL skipped: {type(err).__name__}: {err}"[:300])
    rows = [[r["database"], r["fill_seconds"], r["last_30_days"]["conversations"], r["last_30_days"]["median_ms"],
             r["whole_range"]["conversations"], r["whole_range"]["median_ms"]] for r in results]
    print(table(["database", "fill s", "30 days: sessions", "median ms", "whole range: sessions", "median ms"], rows))
    print(f"Report: {write_report('reports', {'sessions': args.sessions, 'days': args.days, 'results': results})}")
    return 0
