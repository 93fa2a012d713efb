"""What the desk does besides serving agents: pass new alerts to the outbox
(bot/handoff/alert_outbox.py), deliver the outbox (webhook, email) and try again
the messages from the team that did not reach the customer yet (bot/desk/reply_push.py), every
minute give unclaimed handoffs back to the bot (bot/handoff/waiting.py), end idle ones and remind
the agents of claimed ones whose customer waits (bot/handoff/idle.py), and
every hour delete what is older than the shop profile's retention period
(bot/privacy/retention.py)."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.desk import reply_push
from bot.desk.keys import ON_AGENT_MESSAGE, SERVICE

log = logging.getLogger("bot.desk")

OUTBOX_INTERVAL_SECONDS = 15.0
HANDOFF_INTERVAL_SECONDS = 60.0
RETENTION_INTERVAL_SECONDS = 3600.0


async def _deliver_outbox_forever(app: web.Application) -> None:
    from bot.handoff import alert_outbox, outbox

    loop = asyncio.get_running_loop()
    while True:
        try:
            passed = await loop.run_in_executor(None, alert_outbox.pass_on_raised)
            if passed:
                log.info("alerts: %s raised, passed to the outbox", passed)
        except Exception:  # the alerts stay unpassed and are tried again
            log.exception("passing alerts to the outbox failed")
        try:
            report = await loop.run_in_executor(None, outbox.deliver_due)
            if report.delivered or report.failed:
                log.info("outbox: %s delivered, %s failed, %s pending",
                         report.delivered, report.failed, report.pending)
        except Exception:  # keep delivering later; the rows stay in the outbox
            log.exception("outbox delivery failed")
        try:
            delivered = await reply_push.deliver_due(app[SERVICE], app[ON_AGENT_MESSAGE])
            if delivered:
                log.info("messages from the team: %s delivered on a later try", delivered)
        except Exception:  # the messages stay undelivered and are tried again
            log.exception("delivering messages from the team failed")
        await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)


async def end_stale_handoffs(app: web.Application) -> int:
    """Give unclaimed handoffs back to the bot and end idle ones; push each apology to the
    customer at once (REST clients get it with their next message); remind the agents of claimed
    handoffs whose customer waits, and put back in the queue those that waited too long."""
    from bot.handoff import service

    loop = asyncio.get_running_loop()
    returned = await loop.run_in_executor(None, service.return_unclaimed)
    await loop.run_in_executor(None, service.expire_stale)
    for idle in await loop.run_in_executor(None, service.check_idle):
        log.info("handoff %s of %s %s: the customer has waited %s minutes for %s", idle.handoff_id,
                 idle.conversation_id, idle.change, idle.waiting_minutes, idle.agent)
    for handoff in returned:
        log.info("handoff of %s went back to the bot: nobody claimed it", handoff.conversation_id)
        await reply_push.deliver(app[SERVICE], app[ON_AGENT_MESSAGE], handoff.message_id)
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

