"""Issue 8's baseline (a `rasa init` bot measured on this machine) and targets.

Memory is in MiB (what /proc reports, /1024); "1.2 GB" is taken as 1,200 MiB.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

#: The issue's figures for a `rasa init` bot on this machine.
BASELINE = {
    "p50_ms_1": 105.0,  # one conversation, end to end
    "messages_per_second_50": 20.0,  # at most, 50 concurrent conversations
    "p95_ms_50": 2800.0,
    "seconds_to_first_answer": 40.0,
    "rss_mb": 1100.0,  # resident, the bot server
    "rest_message_ms": 86.0,  # mean per REST message, of which NLU parsing:
    "nlu_parse_ms": 17.0,
}


def _target(name: str, value: Optional[float], limit: float, at_most: bool,
            baseline: Optional[float] = None, extra_ok: bool = True) -> Dict[str, Any]:
    met = value is not None and extra_ok and (value <= limit if at_most else value >= limit)
    row: Dict[str, Any] = {"target": name, "value": value, "limit": limit,
                           "kind": "at most" if at_most else "at least", "met": met}
    if baseline is not None and value:
        # >1 always means "better than the baseline", whichever direction the figure goes.
        row["vs_baseline"] = round(baseline / value if at_most else value / baseline, 2)
        row["baseline"] = baseline
    return row


def _level(levels: List[Dict[str, Any]], concurrency: int) -> Dict[str, Any]:
    return next((lv for lv in levels if lv["concurrency"] == concurrency), {})


def load_targets(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    one, fifty = _level(report["levels"], 1), _level(report["levels"], 50)
    rows = [
        _target("p50 ms, 1 conversation", one.get("p50_ms"), 30, True, BASELINE["p50_ms_1"]),
        _target("p99 ms, 1 conversation", one.get("p99_ms"), 100, True),
        _target("messages/s, 50 conversations, 0 errors", fifty.get("messages_per_second"), 100,
                False, BASELINE["messages_per_second_50"], extra_ok=fifty.get("errors", 1) == 0),
        _target("seconds from start to first answer", report.get("seconds_to_first_answer"), 20,
                True, BASELINE["seconds_to_first_answer"]),
    ]
    long_fifty = _level(report.get("long_lived_levels") or [], 50)
    if long_fifty:
        rows.append(_target("messages/s, 50 long-lived senders, 0 errors", long_fifty.get("messages_per_second"),
                            100, False, extra_ok=long_fifty.get("errors", 1) == 0))
    growth = report.get("growth") or {}
    buckets = growth.get("buckets") or []
    if buckets:
        rows.append(_target("p50 of the last turn bucket / first's, one conversation",
                            growth.get("last_over_first_p50"), 1.2, True))
        rows.append(_target(f"worst bucket p50 ms, turns up to {growth['turns']}",
                            max(b["p50_ms"] for b in buckets), 30, True))
        rows.append(_target(f"worst bucket p99 ms, turns up to {growth['turns']}",
                            max(b["p99_ms"] for b in buckets), 100, True))
    if fifty.get("p95_ms") is not None:
        rows.append({"target": "p95 ms, 50 conversations (no target)", "value": fifty["p95_ms"],
                     "baseline": BASELINE["p95_ms_50"],
                     "vs_baseline": round(BASELINE["p95_ms_50"] / fifty["p95_ms"], 2)})
    # The target is per bot server process: with several workers, each worker is one.
    per_process = report.get("largest_process_peak_rss_mb") if report.get("workers", 1) > 1 else None
    for name, peak in (per_process or report.get("peak_rss_mb", {})).items():
        rows.append(_target(f"peak RSS MiB, {name}" + (" (one worker)" if per_process else ""), peak, 1200, True,
                            BASELINE["rss_mb"] if name == "Rasa server" else None))
    return rows


def nlu_targets(scores: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [
        _target("in-scope macro-F1", scores.get("in_scope_macro_f1"), 0.95, False),
        _target("out-of-scope handled", scores.get("out_of_scope_handled"), 0.70, False),
    ]


def target_table(rows: List[Dict[str, Any]]) -> List[List[Any]]:
    return [[r["target"], r.get("value"), "" if "limit" not in r else f"{r['kind']} {r['limit']}",
             "" if "met" not in r else ("yes" if r["met"] else "NO"),
             r.get("baseline"), r.get("vs_baseline")] for r in rows]


TARGET_HEADERS = ["figure", "value", "target", "met", "baseline", "x vs baseline"]
