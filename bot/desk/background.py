"""What the desk does besides serving agents: deliver the outbox (webhook, email), push agent
replies to the website widget at once, every minute give unclaimed handoffs back to the bot
(bot/handoff/waiting.py) and end idle ones, and every hour delete what is older than the shop
profile's retention period (bot/privacy/retention.py)."""
from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Optional

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from bot.core.settings import RASA_URL_ENV  # where the bot's socket.io channel takes pushes
from bot.desk.keys import ON_AGENT_MESSAGE

log = logging.getLogger("bot.desk")

OUTBOX_INTERVAL_SECONDS = 15.0
HANDOFF_INTERVAL_SECONDS = 60.0
RETENTION_INTERVAL_SECONDS = 3600.0


def socketio_push_hook(rasa_url: str, token: Optional[str]):
    """An on_agent_message hook: POST the reply to the socket.io channel's push endpoint.

    Returns True when the widget got it now; otherwise the REST path hands it out with the
    customer's next message.
    """
    url = rasa_url.rstrip("/") + "/webhooks/socketio/handoff_push"
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def push(conversation_id: str, text: str) -> bool:
        body = {"conversation_id": conversation_id, "text": text}
        try:
            async with ClientSession(timeout=ClientTimeout(total=5)) as http:
                async with http.post(url, data=json.dumps(body), headers={
                        **headers, "Content-Type": "application/json"}) as response:
                    if response.status != 200:
                        return False
                    return bool((await response.json()).get("pushed"))
        except (ClientError, asyncio.TimeoutError, ValueError) as err:
            log.info("push to the widget failed (%s); the reply waits for the customer", err)
            return False

    return push


async def _deliver_outbox_forever(app: web.Application) -> None:
    from bot.handoff import outbox

    loop = asyncio.get_running_loop()
    while True:
        try:
            report = await loop.run_in_executor(None, outbox.deliver_due)
            if report.delivered or report.failed:
                log.info("outbox: %s delivered, %s failed, %s pending",
                         report.delivered, report.failed, report.pending)
        except Exception:  # keep delivering later; the rows stay in the outbox
            log.exception("outbox delivery failed")
        await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)


async def end_stale_handoffs(app: web.Application) -> int:
    """Give unclaimed handoffs back to the bot and end idle ones; push each apology to a widget
    that is connected (the other channels show it with the customer's next message)."""
    from bot.handoff import service

    loop = asyncio.get_running_loop()
    returned = await loop.run_in_executor(None, service.return_unclaimed)
    await loop.run_in_executor(None, service.expire_stale)
    for handoff in returned:
        log.info("handoff of %s went back to the bot: nobody claimed it", handoff.conversation_id)
        if handoff.channel != "socketio":
            continue
        try:
            pushed = await app[ON_AGENT_MESSAGE](handoff.conversation_id, handoff.text)
        except Exception:  # it is still handed out with the customer's next message
            log.exception("could not push the apology to %s", handoff.conversation_id)
            continue
        if pushed is True:
            await loop.run_in_executor(None, service.mark_delivered, [handoff.message_id])
    return len(returned)


async def _end_stale_handoffs_forever(app: web.Application) -> None:
    while True:
        try:
            await end_stale_handoffs(app)
        except Exception:  # try again in a minute
            log.exception("ending stale handoffs failed")
        await asyncio.sleep(HANDOFF_INTERVAL_SECONDS)


def purge_expired_now() -> None:
    """Delete or anonymise what the retention period has run out for; log what went."""
    from bot.core import clock, settings
    from bot.core.db import engine_for
    from bot.privacy.retention import purge_expired
    from bot.profile.shop_profile import current_profile

    report = purge_expired(engine_for(settings.database_url()), engine_for(settings.tracker_store_url()),
                           clock.now(), current_profile().privacy.retention_days)
    if report.removed_anything:
        log.info("retention: %s", " ".join(" ".join(report.lines()).split()))


async def _purge_expired_forever(app: web.Application) -> None:
    loop = asyncio.get_running_loop()
    while True:
        try:
            await loop.run_in_executor(None, purge_expired_now)
        except Exception:  # try again in an hour; nothing was half deleted (one transaction each)
            log.exception("retention purge failed")
        await asyncio.sleep(RETENTION_INTERVAL_SECONDS)


async def start_jobs(app: web.Application) -> None:
    app["outbox_task"] = asyncio.create_task(_deliver_outbox_forever(app))
    app["retention_task"] = asyncio.create_task(_purge_expired_forever(app))
    app["handoff_task"] = asyncio.create_task(_end_stale_handoffs_forever(app))


async def stop_jobs(app: web.Application) -> None:
    for name in ("outbox_task", "retention_task", "handoff_task"):
        task = app.get(name)
        if task:
            task.cancel()


def add_background(app: web.Application) -> None:
    # aiohttp 3.9 declares its signals for an older aiosignal, so mypy misreads their element type.
    app.on_startup.append(start_jobs)  # type: ignore[arg-type]
    app.on_cleanup.append(stop_jobs)  # type: ignore[arg-type]


def rasa_url() -> str:
    return os.environ.get(RASA_URL_ENV, "http://localhost:5005")
