"""The desk's only stylesheet and script, served by the desk itself (no external assets)."""

CSS = """\
:root { font: 15px/1.45 system-ui, sans-serif; color: #1d232a; background: #f6f7f9; }
body { margin: 0; }
header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.2rem; background: #23303d; color: #fff; }
header a { color: #fff; } header form { margin-left: auto; }
main { max-width: 68rem; margin: 1rem auto; padding: 0 1.2rem; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #dde1e6; vertical-align: top; }
nav.filters a { margin-right: .8rem; } nav.filters a[aria-current] { font-weight: bold; }
.status { font-weight: 600; } .status-queued { color: #a24b00; } .status-assigned { color: #0b5cad; }
.status-resolved, .status-expired { color: #58616b; }
.panel { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: .8rem 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: #58616b; } dl.facts dd { margin: 0; }
ol.transcript { list-style: none; padding: 0; margin: 0; }
ol.transcript li { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; margin: .4rem 0; padding: .5rem .8rem; }
ol.transcript li.from-customer { border-left: 4px solid #a24b00; }
ol.transcript li.from-bot { border-left: 4px solid #7a8591; }
ol.transcript li.from-agent { border-left: 4px solid #0b5cad; }
.delivery-delivered { color: #1d6b35; } .delivery-pending { color: #58616b; }
.delivery-failed { color: #a4161a; font-weight: 600; }
.meta { color: #58616b; font-size: .85rem; } .text { white-space: pre-wrap; margin-top: .2rem; }
.actions { display: flex; gap: .6rem; margin: 1rem 0; }
button { font: inherit; padding: .4rem .9rem; border-radius: 4px; border: 1px solid #23303d; background: #23303d; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #23303d; }
label { display: block; font-weight: 600; margin: .6rem 0 .2rem; }
input, textarea { font: inherit; width: 100%; max-width: 40rem; box-sizing: border-box; padding: .4rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
form.filters label { margin: 0; } form.filters input, form.filters select { width: auto; }
.tiles { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.tile { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: .5rem .8rem; min-width: 8rem; }
.tile strong { display: block; font-size: 1.3rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; } figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; } svg .bar { fill: #0b5cad; } svg text { font-size: 12px; }
dl.definitions dt { font-weight: 600; } dl.definitions dd { margin: 0 0 .4rem 0; color: #58616b; }
.alert { color: #9b1c1c; font-weight: 600; } .verified { color: #1d6b33; font-weight: 600; }
:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
"""

JS = """\
(function () {
  "use strict";
  var root = document.getElementById("handoff");
  if (!root) { return; }
  var id = root.dataset.id, status = root.dataset.status;
  var count = Number(root.dataset.count), period = Number(root.dataset.poll) * 1000;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var list = document.getElementById("transcript");
  var stamp = new Intl.DateTimeFormat("en-GB", {weekday: "short", day: "numeric", month: "short",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.tz});
  var busy = false;

  function when(at) {
    if (!at) { return ""; }
    var utc = /(Z|[+-]\\d\\d:?\\d\\d)$/.test(at) ? at : at + "Z";
    var d = new Date(utc);
    return isNaN(d) ? at : stamp.format(d);
  }

  function entry(m) {
    var li = document.createElement("li"), meta = document.createElement("div");
    var text = document.createElement("div"), sender = m.sender || "bot";
    var who = {customer: "Customer", bot: "Bot", agent: "Agent"}[sender] || sender;
    if (sender === "agent" && m.agent) { who += " (" + m.agent + ")"; }
    li.className = "from-" + sender;
    meta.className = "meta";
    meta.textContent = who + " \\u00b7 " + when(m.at);
    if (sender === "customer" && m.intent) {
      var conf = typeof m.confidence === "number" ? " " + Math.round(m.confidence * 100) + "%" : "";
      meta.textContent += " \\u00b7 intent " + m.intent + conf;
    }
    if (m.delivery) {
      meta.appendChild(document.createTextNode(" \\u00b7 "));
      meta.appendChild(document.createElement("span"));
      badge(meta.lastChild, m.delivery);
    }
    text.className = "text";
    text.textContent = m.text || "";
    li.appendChild(meta);
    li.appendChild(text);
    return li;
  }

  var labels = {delivered: "delivered", pending: "pending", failed: "not delivered, retrying"};
  function badge(span, d) {
    span.className = "delivery delivery-" + d.status;
    span.title = d.detail || "";
    span.textContent = (labels[d.status] || d.status) + (d.status === "failed" && d.detail ? ": " + d.detail : "");
  }

  function refresh() {
    if (busy) { return; }
    busy = true;
    fetch("/api/handoffs/" + encodeURIComponent(id), {credentials: "same-origin",
      headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (h) {
        if (!h) { return; }
        var t = h.transcript || [];
        for (var j = 0; j < Math.min(count, t.length); j++) {
          var span = list.children[j] && list.children[j].querySelector(".delivery");
          if (span && t[j].delivery) { badge(span, t[j].delivery); }
        }
        for (var i = count; i < t.length; i++) { list.appendChild(entry(t[i])); }
        count = Math.max(count, t.length);
        if (h.status !== status) { window.location.reload(); }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  var form = document.getElementById("reply");
  if (form) {
    var box = document.getElementById("reply-text"), note = document.getElementById("reply-error");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = box.value.trim();
      note.textContent = "";
      if (!text) { note.textContent = "Write a message first."; box.focus(); return; }
      fetch(form.dataset.api, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify({text: text})})
        .then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); })
        .then(function (res) {
          if (!res.ok) { note.textContent = res.body.message || "The message was not sent."; return; }
          box.value = "";
          refresh();
        })
        .catch(function () { note.textContent = "The desk cannot be reached; the message was not sent."; });
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { form.requestSubmit(); }
    });
  }
  window.setInterval(refresh, period);
})();
"""
