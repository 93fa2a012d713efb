"""The agent desk: a small aiohttp app where agents work handoffs (docs/agent-desk.md)."""
from bot.desk.app import create_app
from bot.desk.config import DeskConfig, load_config

__all__ = ["create_app", "DeskConfig", "load_config"]
