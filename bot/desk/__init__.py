"""The agent desk: a small aiohttp app where agents work handoffs (docs/agent-desk.md): login, the
queue, a handoff's transcript, live replies, alerts, the JSON API for tools (handoffs, alerts, the
support summary); in the background the outbox and the retention purge. May import `bot.core`,
`bot.profile`, `bot.handoff`, `bot.privacy`, `bot.reports` and `bot.alerts`.
"""
from bot.desk.app import create_app
from bot.desk.config import DeskConfig, load_config

__all__ = ["create_app", "DeskConfig", "load_config"]
