"""The HTML of the desk's Alerts pages: the list (open first, or all) and one alert with the
conversation it came from."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot.desk.views import e, page, stamp, transcript_item

FILTERS = (("open", "Open"), ("all", "All"))


def _state(a: Dict[str, Any], tz: str) -> str:
    if a.get("acknowledged_at"):
        return (f'<span class="status status-resolved">seen</span><br><span class="meta">'
                f'{e(a.get("acknowledged_by"))}, {stamp(a["acknowledged_at"], tz)}</span>')
    return '<span class="status status-queued">open</span>'


def _conversation(a: Dict[str, Any]) -> str:
    parts = []
    if a.get("handoff_id") is not None:
        parts.append(f'<a href="/handoffs/{e(a["handoff_id"])}">handoff #{e(a["handoff_id"])}</a>')
    if a.get("conversation_id"):
        parts.append(f'<span class="meta">{e(a.get("channel") or "")} {e(a["conversation_id"])}</span>')
    return "<br>".join(parts) or '<span class="meta">none</span>'


def alerts_page(alerts: List[Dict[str, Any]], shown: str, tz: str, agent: str, csrf: str) -> str:
    tabs = "".join(f'<a href="/alerts?status={key}"{" aria-current=page" if key == shown else ""}>{label}</a>'
                   for key, label in FILTERS)
    rows = "".join(
        f'<tr class="alert-row alert-{e(a["kind"])}"><td><a href="/alerts/{e(a["id"])}">#{e(a["id"])}</a></td>'
        f'<td>{stamp(a["raised_at"], tz)}</td><td>{e(a["label"])}</td><td>{e(a["text"])}</td>'
        f'<td>{_conversation(a)}</td><td>{_state(a, tz)}</td></tr>'
        for a in alerts)
    if not rows:
        rows = '<tr><td colspan="6">No alerts here.</td></tr>'
    body = (f'<h1>Alerts</h1><nav class="filters" aria-label="Filter alerts">{tabs}</nav>'
            f'<table id="alerts"><caption class="meta">Newest first. A complaint, an angry or abusive '
            f'message, a rating of 1 or 2, a late or lost parcel, or one problem several customers '
            f'report within the hour. Refreshes every 30 seconds.</caption><thead><tr>'
            f'<th scope=col>Alert</th><th scope=col>Raised</th><th scope=col>Kind</th>'
            f'<th scope=col>What happened</th><th scope=col>Conversation</th><th scope=col>State</th>'
            f'</tr></thead><tbody>{rows}</tbody></table>')
    return page("Alerts", body, agent=agent, csrf=csrf, refresh=30)


def alert_page(a: Dict[str, Any], transcript: List[Dict[str, Any]], tz: str, tz_label: str,
               agent: str, csrf: str, notice: Optional[str] = None) -> str:
    acknowledge = "" if a.get("acknowledged_at") else (
        f'<form method="post" action="/alerts/{e(a["id"])}/acknowledge">'
        f'<input type="hidden" name="csrf" value="{e(csrf)}"><button type="submit">Mark as seen</button></form>')
    details = a.get("details") or {}
    conversations = details.get("conversations") if isinstance(details, dict) else None
    others = ""
    if conversations:
        others = ('<h2>Conversations reporting it</h2><ul class="panel">'
                  + "".join(f"<li>{e(c)}</li>" for c in conversations) + "</ul>")
    items = "".join(transcript_item(m, tz) for m in transcript)
    shown = (f'<h2>The conversation <span class="meta">(its latest session; times in {e(tz_label)})</span></h2>'
             f'<ol class="transcript">{items}</ol>') if items else '<p class="meta">No stored conversation to show.</p>'
    alert = f'<p class="alert" role="alert">{e(notice)}</p>' if notice else ""
    body = (f'<div id="alert" data-id="{e(a["id"])}"><h1>{e(a["label"])} <span class="meta">#{e(a["id"])}</span></h1>'
            f'{alert}<div class="panel"><p class="text">{e(a["text"])}</p>'
            f'<p class="meta">Raised {stamp(a["raised_at"], tz)} · {_conversation(a)}</p>'
            f'<p>{_state(a, tz)}</p></div><div class="actions">{acknowledge}</div>{others}{shown}'
            f'<p><a href="/alerts">All alerts</a></p></div>')
    return page(f"Alert #{a['id']}", body, agent=agent, csrf=csrf)
