"""Typed keys of what the desk application holds."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from aiohttp import web

from bot.desk.config import DeskConfig
from bot.desk.reply_push import PushResult
from bot.desk.service import DeskService
from bot.desk.throttle import LoginThrottle

#: Pushes a message from the team (a bot.handoff.replies.Reply) to the customer; its PushResult
#: says whether it went (then it is marked delivered) or why not (it is tried again later).
AgentMessageHook = Callable[[Any], Awaitable[PushResult]]

CONFIG = web.AppKey("config", DeskConfig)
SERVICE = web.AppKey("service", DeskService)
ON_AGENT_MESSAGE: web.AppKey[AgentMessageHook] = web.AppKey("on_agent_message")
LOGIN_THROTTLE = web.AppKey("login_throttle", LoginThrottle)
