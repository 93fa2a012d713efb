"""The Reports page and its CSV: the same figures as `GET /api/reports/summary` (bot.reports)."""
from __future__ import annotations

import csv
import io
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode

from bot.desk.views import e, page
from bot.reports.outcomes import OUTCOMES
from bot.reports.summary import DAY_SURVEY_KEYS
from bot.reports.topics import TOPICS

LABELS = {"resolved": "Resolved by the assistant", "handed_over": "Handed to a person",
          "not_understood": "Not understood", "abandoned": "Abandoned"}
#: Short enough for the bar chart's label column.
ENDING_LABELS = {"back_to_assistant": "back to the assistant", "expired": "nobody (expired)", "open": "still open"}
CSV_COLUMNS = ["date", "conversations", *OUTCOMES, *DAY_SURVEY_KEYS]

DEFINITIONS = (
    ("Conversations", "conversation sessions in which the customer wrote, by the day they started "
                      "(a new session starts after 60 minutes of silence)"),
    ("Containment rate", "resolved by the assistant / conversations"),
    ("Handoff rate", "handed to a person / conversations"),
    ("Fallback rate", "customer messages answered \u201cSorry, I didn't get that\u201d / all customer messages"),
    ("Handoffs", "handed to a person in the range, by reason; first agent reply and resolution: the median "
                 "minutes from the handoff to an agent's first message, and to its resolution by an agent"),
    ("Conversations by topic", "conversations in which the customer asked about each topic (one that asked "
                               "about an order and a return counts for both)"),
    ("CSAT", "share of 4 and 5 among the customers' 1-5 answers to \u201cHow did we do?\u201d (and their "
             "average); asked once the assistant answered a request and the customer says thanks or bye, and "
             "after an agent resolved a handoff"),
    ("CES", "average of the 1-7 answers to \u201cIt was easy to get my issue handled\u201d, asked after a "
            "resolved handoff"),
    ("NPS", "% of 9-10 minus % of 0-6 among the 0-10 answers to \u201cHow likely are you to recommend "
            "us?\u201d, asked in the share of surveys the shop profile sets; from -100 to 100"),
)


def percent(value: Optional[float]) -> str:
    return "\u2014" if value is None else f"{100 * value:.1f} %"


def _bar_chart(title: str, rows: List[tuple], chart_id: str) -> str:
    """Horizontal bars as inline SVG: (label, value) rows, scaled to the largest."""
    top = max([value for _, value in rows] + [1])
    height = 28 * len(rows) + 8
    bars = []
    for i, (label, value) in enumerate(rows):
        y = 8 + 28 * i
        width = round(300 * value / top)
        bars.append(f'<text x="0" y="{y + 14}" class="chart-label">{e(label)}</text>'
                    f'<rect x="200" y="{y}" width="{width}" height="18" class="bar"><title>{e(label)}: '
                    f'{value}</title></rect><text x="{206 + width}" y="{y + 14}">{value}</text>')
    return (f'<figure><figcaption>{e(title)}</figcaption><svg id="{chart_id}" role="img" '
            f'aria-label="{e(title)}" viewBox="0 0 560 {height}" width="560" height="{height}">'
            f'{"".join(bars)}</svg></figure>')


def minutes(value: Optional[float]) -> str:
    return "\u2014" if value is None else f"{value:g} min"


def _column_chart(title: str, chart_id: str, columns: List[tuple], step: Optional[int] = None) -> str:
    """Columns of inline SVG: (label, value) pairs, scaled to the largest; `step` pixels apart
    (default: as wide as 560 pixels allow, 6 to 40)."""
    step = step or max(6, min(40, 560 // len(columns)))
    top = max([value for _, value in columns] + [1])
    rects = []
    for i, (label, value) in enumerate(columns):
        h = round(120 * value / top)
        rects.append(f'<rect x="{i * step}" y="{130 - h}" width="{step - 2}" height="{h}" class="bar">'
                     f'<title>{e(label)}: {value}</title></rect>')
    width = step * len(columns)
    return (f'<figure><figcaption>{e(title)}</figcaption><svg id="{chart_id}" role="img" '
            f'aria-label="{e(title)}" viewBox="0 0 {width} 132" width="{width}" height="132">'
            f'{"".join(rects)}</svg></figure>')


def _hour_chart(by_hour: List[int]) -> str:
    """Conversations by the hour they started (UTC)."""
    return _column_chart("Conversations by hour (UTC)", "chart-hours",
                         [(f"{h:02d}:00 UTC", n) for h, n in enumerate(by_hour)], step=20)


def _day_chart(by_day: List[Dict[str, Any]]) -> str:
    """Conversations per day."""
    if not by_day:
        return '<figure><figcaption>Conversations per day</figcaption><p class="meta">No conversations.</p></figure>'
    return _column_chart("Conversations per day", "chart-days", [(d["date"], d["conversations"]) for d in by_day])


def score(value: Optional[float], top: int) -> str:
    return "\u2014" if value is None else f"{value:g} / {top}"


def _survey_charts(figures: Dict[str, Any]) -> str:
    """How many gave each score, per question."""
    return "".join(
        _column_chart(f"{title} answers (score: count)", f"chart-{kind}",
                      [(f"{s}", n) for s, n in figures[f"{kind}_distribution"].items()], step=36)
        for kind, title in (("csat", "CSAT 1-5"), ("ces", "CES 1-7"), ("nps", "NPS 0-10")))


def reports_page(figures: Dict[str, Any], channels: List[str], agent: str, csrf: str,
                 notice: Optional[str] = None) -> str:
    query = {"from": figures["from"], "to": figures["to"], **({"channel": figures["channel"]}
                                                             if figures.get("channel") else {})}
    options = "".join(f'<option value="{e(c)}"{" selected" if c == figures.get("channel") else ""}>{e(c)}</option>'
                      for c in channels)
    form = (f'<form method="get" action="/reports" class="filters" id="report-filter">'
            f'<label>From <input type="date" name="from" value="{e(figures["from"])}" required></label>'
            f'<label>To <input type="date" name="to" value="{e(figures["to"])}" required></label>'
            f'<label>Channel <select name="channel"><option value="">All</option>{options}</select></label>'
            f'<button type="submit">Apply</button>'
            f'<a href="/reports.csv?{e(urlencode(query))}" download id="report-csv">Export CSV</a></form>')
    tiles = [("Conversations", str(figures["conversations"]), "conversations"),
             ("Containment rate", percent(figures["containment_rate"]), "containment_rate"),
             ("Handoff rate", percent(figures["handoff_rate"]), "handoff_rate"),
             ("Fallback rate", percent(figures["fallback_rate"]), "fallback_rate"),
             ("Handoffs", str(figures["handoffs"]), "handoffs"),
             ("First agent reply (median)", minutes(figures["median_first_agent_response_minutes"]),
              "median_first_agent_response_minutes"),
             ("Resolution (median)", minutes(figures["median_resolution_minutes"]), "median_resolution_minutes"),
             ("CSAT", percent(figures["csat"]), "csat"),
             ("CSAT average", score(figures["csat_average"], 5), "csat_average"),
             ("CES average", score(figures["ces_average"], 7), "ces_average"),
             ("NPS", "\u2014" if figures["nps"] is None else f'{figures["nps"]:g}', "nps"),
             ("Survey answers", f'{figures["csat_responses"]} CSAT, {figures["ces_responses"]} CES, '
                                f'{figures["nps_responses"]} NPS', "survey_responses")]
    figures_html = "".join(f'<div class="tile" data-key="{key}"><span class="meta">{e(label)}</span>'
                           f'<strong>{e(value)}</strong></div>' for label, value, key in tiles)
    outcomes = _bar_chart("Outcomes", [(LABELS[k], figures["outcomes"][k]) for k in OUTCOMES], "chart-outcomes")
    definitions = "".join(f"<dt>{e(term)}</dt><dd>{e(text)}</dd>" for term, text in DEFINITIONS)
    alert = f'<p class="alert" role="alert">{e(notice)}</p>' if notice else ""
    topics = _bar_chart("Conversations by topic", [(TOPICS[t], n) for t, n in figures["by_topic"].items()]
                        or [("none", 0)], "chart-topics")
    endings = figures["handoff_endings"]
    resolved_by = _bar_chart("Who resolved the handoffs", [
        *endings["by_agent"].items(), *((ENDING_LABELS[k], endings[k]) for k in ENDING_LABELS)], "chart-resolved-by")
    reasons = _bar_chart("Handoff reasons", list(figures["handoff_reasons"].items()) or [("none", 0)],
                         "chart-reasons")
    body = (f'<h1>Reports</h1>{alert}{form}<section class="tiles" aria-label="Figures">{figures_html}</section>'
            f'<section class="charts">{outcomes}{topics}{reasons}{resolved_by}{_day_chart(figures["by_day"])}'
            f'{_hour_chart(figures["by_hour"])}{_survey_charts(figures)}</section>'
            f'<h2>How these are counted</h2><dl class="definitions">{definitions}</dl>')
    return page("Reports", body, agent=agent, csrf=csrf)


def reports_csv(figures: Dict[str, Any]) -> str:
    """One row per day of the range that had conversations, then the totals."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for day in figures["by_day"]:
        writer.writerow(day)
    writer.writerow({"date": "total", "conversations": figures["conversations"], **figures["outcomes"],
                     **{key: figures[key] for key in DAY_SURVEY_KEYS}})
    return out.getvalue()
