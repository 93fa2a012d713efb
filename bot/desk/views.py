"""Server-rendered HTML for the desk: page frame, login, queue and handoff view."""
from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any, Dict, Iterable, List, Optional
from urllib.parse import quote

from bot.core.shop_dates import local

SENDERS = {"customer": "Customer", "bot": "Bot", "agent": "Agent"}
FILTERS = (("open", "Open"), ("queued", "Queued"), ("assigned", "Assigned"), ("resolved", "Resolved"),
           ("all", "All"))


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def as_datetime(value: Any) -> Optional[datetime]:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.rstrip("Z"))
        except ValueError:
            return None
    return None


def stamp(value: Any, tz: str) -> str:
    """'Mon 23 Nov, 12:03' in the shop's time zone (the same form the page script writes)."""
    when = as_datetime(value)
    if when is None:
        return e(value)
    wall = local(when, tz)
    return f'<time datetime="{when.isoformat()}Z">{wall:%a} {wall.day} {wall:%b}, {wall:%H:%M}</time>'


def waited(h: Dict[str, Any], now: datetime) -> str:
    """How long the customer waited (until claimed), as '12 min' or '1 h 05 min'."""
    minutes = h.get("waiting_minutes")
    if not isinstance(minutes, int):
        when = as_datetime(h.get("created_at"))
        if when is None:
            return "?"
        minutes = max(0, int((now - when).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours < 24 else f"{hours // 24} d {hours % 24} h"


def page(title: str, body: str, *, agent: Optional[str] = None, csrf: Optional[str] = None,
         refresh: Optional[int] = None, script: bool = False) -> str:
    head = [f'<meta charset="utf-8"><title>{e(title)} · Agent desk</title>',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<link rel="stylesheet" href="/desk.css">']
    if csrf:
        head.append(f'<meta name="csrf-token" content="{e(csrf)}">')
    if refresh:
        head.append(f'<meta http-equiv="refresh" content="{refresh}">')
    if script:
        head.append('<script src="/desk.js" defer></script>')
    bar = '<header><strong>Agent desk</strong>'
    if agent:
        bar += ('<a href="/">Queue</a><a href="/alerts">Alerts</a><a href="/reports">Reports</a>'
                '<form method="post" action="/logout">'
                f'<input type="hidden" name="csrf" value="{e(csrf)}">'
                f'<span>{e(agent)}</span> <button class="secondary" type="submit">Log out</button></form>')
    bar += "</header>"
    return (f'<!doctype html><html lang="en"><head>{"".join(head)}</head>'
            f"<body>{bar}<main>{body}</main></body></html>")


def login_page(error: Optional[str] = None, next_url: str = "/", username: str = "") -> str:
    alert = f'<p class="alert" role="alert">{e(error)}</p>' if error else ""
    body = (f"<h1>Log in</h1>{alert}"
            f'<form method="post" action="/login?next={quote(next_url, safe="")}" class="panel">'
            f'<label for="username">Username</label>'
            f'<input id="username" name="username" autocomplete="username" required value="{e(username)}">'
            f'<label for="password">Password</label>'
            f'<input id="password" name="password" type="password" autocomplete="current-password" required>'
            f'<div class="actions"><button type="submit">Log in</button></div></form>')
    return page("Log in", body)


def _customer(h: Dict[str, Any]) -> str:
    who = h.get("customer_email") or h.get("customer_id") or "unknown"
    flag = '<span class="verified">verified</span>' if h.get("verified") else "not verified"
    return f"{e(who)}<br><span class=\"meta\">{flag}</span>"


def queue_page(handoffs: List[Dict[str, Any]], now: datetime, shown: str, agent: str, csrf: str,
               open_alerts: int = 0) -> str:
    tabs = "".join(
        f'<a href="/?status={key}"{" aria-current=page" if key == shown else ""}>{label}</a>'
        for key, label in FILTERS)
    rows = "".join(
        f'<tr><td><a href="/handoffs/{e(h["id"])}">#{e(h["id"])}</a></td>'
        f'<td class="status status-{e(h.get("status"))}">{e(h.get("status"))}'
        f'{"<br><span class=meta>" + e(h["agent"]) + "</span>" if h.get("agent") else ""}</td>'
        f'<td>{e(h.get("priority"))}</td><td>{e(h.get("reason_label") or h.get("reason"))}</td>'
        f'<td>{waited(h, now)}</td><td>{_customer(h)}</td></tr>'
        for h in handoffs)
    if not rows:
        rows = '<tr><td colspan="6">No handoffs here.</td></tr>'
    banner = (f'<p id="open-alerts" class="alert" role="status"><a href="/alerts">{open_alerts} open '
              f'alert{"s" if open_alerts != 1 else ""}</a>: customers who need attention soon.</p>'
              if open_alerts else "")
    body = (f'<h1>Handoff queue</h1>{banner}<nav class="filters" aria-label="Filter by status">{tabs}</nav>'
            f'<table><caption class="meta">Highest priority and longest wait first. '
            f"Refreshes every 10 seconds.</caption><thead><tr><th scope=col>Handoff</th>"
            f"<th scope=col>Status</th><th scope=col>Priority</th><th scope=col>Reason</th>"
            f"<th scope=col>Waiting</th><th scope=col>Customer</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")
    return page("Queue", body, agent=agent, csrf=csrf, refresh=10)


def facts(data: Any) -> str:
    """A dict as a definition list, a list as items, anything else as text (all escaped)."""
    if isinstance(data, dict):
        items = "".join(f"<dt>{e(str(k).replace('_', ' '))}</dt><dd>{facts(v)}</dd>" for k, v in data.items())
        return f'<dl class="facts">{items}</dl>' if items else "none"
    if isinstance(data, (list, tuple)):
        return "<ul>" + "".join(f"<li>{facts(v)}</li>" for v in data) + "</ul>" if data else "none"
    return e(data) if data not in (None, "") else "none"


def orders_table(orders: Any, tz: str) -> str:
    """The customer's verified orders; other shapes of context fall back to `facts`."""
    if not isinstance(orders, list) or not all(isinstance(o, dict) for o in orders):
        return facts(orders)
    if not orders:
        return "None: the customer did not verify an order with the bot."
    rows = "".join(
        f"<tr><td>{e(o.get('number'))}</td><td>{e(o.get('status'))}</td><td>{e(o.get('total'))}</td>"
        f"<td>{stamp(o.get('placed_at'), tz)}</td><td>{e(o.get('items'))}</td></tr>" for o in orders)
    return ("<table><thead><tr><th scope=col>Order</th><th scope=col>Status</th><th scope=col>Total</th>"
            f"<th scope=col>Placed</th><th scope=col>Items</th></tr></thead><tbody>{rows}</tbody></table>")


DELIVERY_LABELS = {"delivered": "delivered", "pending": "pending", "failed": "not delivered, retrying"}


def delivery_badge(delivery: Any) -> str:
    """How an agent's reply got on (delivered / pending / failed, with why), for the transcript."""
    if not isinstance(delivery, dict) or delivery.get("status") not in DELIVERY_LABELS:
        return ""
    status, detail = str(delivery["status"]), delivery.get("detail")
    label = DELIVERY_LABELS[status] + (f": {detail}" if detail and status == "failed" else "")
    return (f' · <span class="delivery delivery-{e(status)}" title="{e(detail or "")}">'
            f'{e(label)}</span>')


def transcript_item(m: Dict[str, Any], tz: str) -> str:
    sender = str(m.get("sender") or "bot")
    who = e(SENDERS.get(sender, sender))
    if sender == "agent" and m.get("agent"):
        who += f" ({e(m['agent'])})"
    meta = f"{who} · {stamp(m.get('at'), tz)}" + delivery_badge(m.get("delivery"))
    if sender == "customer" and m.get("intent"):
        conf = m.get("confidence")
        percent = f" {round(conf * 100)}%" if isinstance(conf, (int, float)) else ""
        meta += f" · intent {e(m['intent'])}{percent}"
    return (f'<li class="from-{e(sender)}"><div class="meta">{meta}</div>'
            f'<div class="text">{e(m.get("text"))}</div></li>')


def _button(h: Dict[str, Any], action: str, label: str, csrf: str, css: str = "") -> str:
    return (f'<form method="post" action="/handoffs/{e(h["id"])}/{action}">'
            f'<input type="hidden" name="csrf" value="{e(csrf)}">'
            f'<button type="submit"{css}>{label}</button></form>')


def handoff_page(h: Dict[str, Any], now: datetime, tz: str, tz_label: str, agent: str, csrf: str,
                 poll_seconds: float, notice: Optional[str] = None) -> str:
    status = str(h.get("status"))
    transcript: Iterable[Dict[str, Any]] = h.get("transcript") or []
    items = "".join(transcript_item(m, tz) for m in transcript)
    buttons = []
    if status == "queued":
        buttons.append(_button(h, "claim", "Claim", csrf))
    if status in ("queued", "assigned"):
        buttons.append(_button(h, "resolve", "Resolve", csrf, ' class="secondary"'))
    reply = ""
    if status == "queued" or (status == "assigned" and h.get("agent") == agent):
        claims = '<p class="meta">Sending a reply claims this handoff.</p>' if status == "queued" else ""
        reply = (f'<form id="reply" method="post" action="/handoffs/{e(h["id"])}/messages" '
                 f'data-api="/api/handoffs/{e(h["id"])}/messages" class="panel">'
                 f'<input type="hidden" name="csrf" value="{e(csrf)}">'
                 f'<label for="reply-text">Reply to the customer</label>'
                 f'<textarea id="reply-text" name="text" rows="3" maxlength="4000" required></textarea>'
                 f'<p id="reply-error" class="alert" role="alert"></p>'
                 f'<button type="submit">Send</button> <span class="meta">Ctrl+Enter sends</span>'
                 f'{claims}</form>')
    elif status == "assigned":
        reply = f'<p class="panel">{e(h.get("agent"))} is working on this handoff.</p>'
    alert = f'<p class="alert" role="alert">{e(notice)}</p>' if notice else ""
    overview = {"status": status, "agent": h.get("agent") or "nobody yet",
                "reason": h.get("reason_label") or h.get("reason"), "priority": h.get("priority"),
                "channel": h.get("channel"), "orders discussed": ", ".join(h.get("order_numbers") or []),
                "waited": waited(h, now)}
    body = (f'<div id="handoff" data-id="{e(h["id"])}" data-status="{e(status)}" '
            f'data-count="{len(list(transcript))}" data-tz="{e(tz)}" data-poll="{poll_seconds:g}">'
            f'<h1>Handoff #{e(h["id"])} <span class="status status-{e(status)}">{e(status)}</span></h1>'
            f'{alert}'
            f'<div class="panel">{facts(overview)}</div>'
            f'<h2>Customer</h2><div class="panel">{_customer(h)}</div>'
            f'<h2>Summary</h2><div class="panel text">{facts(h.get("summary"))}</div>'
            f'<h2>Verified orders</h2><div class="panel">{orders_table(h.get("context"), tz)}</div>'
            f'<div class="actions">{"".join(buttons)}</div>{reply}'
            f'<h2>Transcript <span class="meta">(times in {e(tz_label)})</span></h2>'
            f'<ol id="transcript" class="transcript" aria-live="polite">{items}</ol></div>')
    return page(f"Handoff #{h['id']}", body, agent=agent, csrf=csrf, script=True)
