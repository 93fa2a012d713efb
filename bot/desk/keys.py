"""Typed keys of what the desk application holds."""
from __future__ import annotations

from typing import Awaitable, Callable, Optional

from aiohttp import web

from bot.desk.config import DeskConfig
from bot.desk.service import DeskService
from bot.desk.throttle import LoginThrottle

#: Called after an agent's message is stored, with (conversation_id, the text the customer
#: reads, marked as from a person). Returning True means "pushed to the customer now": the
#: message is then marked delivered; otherwise the bot hands it out with their next message.
AgentMessageHook = Callable[[str, str], Awaitable[Optional[bool]]]

CONFIG = web.AppKey("config", DeskConfig)
SERVICE = web.AppKey("service", DeskService)
ON_AGENT_MESSAGE: web.AppKey[AgentMessageHook] = web.AppKey("on_agent_message")
LOGIN_THROTTLE = web.AppKey("login_throttle", LoginThrottle)
