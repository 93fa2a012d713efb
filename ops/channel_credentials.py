"""The credentials file the Rasa server starts with: credentials.yml plus each messaging channel
whose settings are all in the environment.

Rasa reads a single `--credentials` file, and a channel listed there without its secrets would
stop the server. So the effective file (var/credentials.yml) is written at every start: REST
and socket.io always, Telegram, Messenger, Twilio SMS, WhatsApp and Slack only when all their
variables are set. A channel with some of its variables set gets a warning naming the missing
ones and stays off; nothing crashes.

Secrets are written as ${VARIABLE} placeholders, which Rasa fills from its environment when it
reads the file, so no secret is copied to disk.

`python -m ops.channel_credentials` writes the file and says which channels are on.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Tuple

import yaml

from bot.core.settings import MIN_SECRET_LENGTH
from bot.core.settings import PROJECT_ROOT as ROOT

BASE_CREDENTIALS = ROOT / "credentials.yml"
EFFECTIVE_CREDENTIALS = ROOT / "var" / "credentials.yml"


def _url(value: str) -> Optional[str]:
    return None if re.match(r"^https?://[^\s/]+", value) else "must be an http(s):// URL"


def _telegram_token(value: str) -> Optional[str]:
    # aiogram refuses anything else at start-up, which would stop the whole server.
    return None if re.fullmatch(r"\d+:\S+", value) else "must look like 123456789:AAE... (from @BotFather)"


def _secret(value: str) -> Optional[str]:
    # What proves a request comes from the app: a short one can be guessed.
    return None if len(value.strip()) >= MIN_SECRET_LENGTH else f"must be at least {MIN_SECRET_LENGTH} characters"


def _telegram_secret(value: str) -> Optional[str]:
    # Telegram's rule for setWebhook's secret_token, and long enough not to be guessed.
    return None if re.fullmatch(rf"[A-Za-z0-9_-]{{{MIN_SECRET_LENGTH},256}}", value) else \
        f"must be {MIN_SECRET_LENGTH}-256 characters: letters, digits, _ and -"


Check = Callable[[str], Optional[str]]


@dataclass(frozen=True)
class MessagingChannel:
    """One messaging channel: its class, its settings and the variables they come from."""

    title: str
    channel_class: str  # the key in credentials.yml
    webhook_path: str  # on the Rasa server
    settings: Dict[str, str]  # credentials key -> required environment variable
    optional: Dict[str, str] = field(default_factory=dict)  # key -> variable, used when set
    checks: Dict[str, Check] = field(default_factory=dict)  # variable -> its format check
    shared: Tuple[str, ...] = ()  # variables other channels use too (a Twilio account)

    @property
    def variables(self) -> List[str]:
        return list(self.settings.values())

    def own_variables(self) -> List[str]:
        return [v for v in self.variables if v not in self.shared]


TWILIO_ACCOUNT = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")

MESSAGING_CHANNELS: List[MessagingChannel] = [
    MessagingChannel(
        "Telegram", "channels.verified_telegram.VerifiedTelegramInput", "/webhooks/telegram/webhook",
        {"access_token": "TELEGRAM_ACCESS_TOKEN", "verify": "TELEGRAM_BOT_NAME",
         "webhook_url": "TELEGRAM_WEBHOOK_URL", "secret_token": "TELEGRAM_SECRET_TOKEN"},
        {"api_url": "TELEGRAM_API_URL"},
        {"TELEGRAM_ACCESS_TOKEN": _telegram_token, "TELEGRAM_WEBHOOK_URL": _url,
         "TELEGRAM_SECRET_TOKEN": _telegram_secret, "TELEGRAM_API_URL": _url}),
    MessagingChannel(
        "Facebook Messenger", "channels.verified_facebook.VerifiedFacebookInput",
        "/webhooks/facebook/webhook",
        {"verify": "FACEBOOK_VERIFY_TOKEN", "secret": "FACEBOOK_APP_SECRET",
         "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN"},
        {"graph_url": "FACEBOOK_GRAPH_URL"},
        {"FACEBOOK_GRAPH_URL": _url, "FACEBOOK_VERIFY_TOKEN": _secret, "FACEBOOK_APP_SECRET": _secret}),
    MessagingChannel(
        "Twilio SMS", "channels.verified_twilio.VerifiedTwilioInput", "/webhooks/twilio/webhook",
        {"account_sid": "TWILIO_ACCOUNT_SID", "auth_token": "TWILIO_AUTH_TOKEN",
         "twilio_number": "TWILIO_NUMBER", "webhook_url": "TWILIO_WEBHOOK_URL"},
        {"api_url": "TWILIO_API_URL"},
        {"TWILIO_WEBHOOK_URL": _url, "TWILIO_API_URL": _url, "TWILIO_AUTH_TOKEN": _secret},
        shared=TWILIO_ACCOUNT),
    MessagingChannel(
        "WhatsApp (Twilio)", "channels.verified_twilio.VerifiedTwilioWhatsAppInput",
        "/webhooks/whatsapp/webhook",
        {"account_sid": "TWILIO_ACCOUNT_SID", "auth_token": "TWILIO_AUTH_TOKEN",
         "twilio_number": "TWILIO_WHATSAPP_NUMBER", "webhook_url": "TWILIO_WHATSAPP_WEBHOOK_URL"},
        {"api_url": "TWILIO_API_URL"},
        {"TWILIO_WHATSAPP_WEBHOOK_URL": _url, "TWILIO_API_URL": _url, "TWILIO_AUTH_TOKEN": _secret},
        shared=TWILIO_ACCOUNT),
    MessagingChannel(
        "Slack", "channels.verified_slack.VerifiedSlackInput", "/webhooks/slack/webhook",
        {"slack_token": "SLACK_BOT_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"},
        {"api_url": "SLACK_API_URL"},
        {"SLACK_API_URL": _url, "SLACK_SIGNING_SECRET": _secret}),
]


@dataclass
class Credentials:
    """What goes into the effective file, and what the operator is told about it."""

    channels: Dict[str, Optional[dict]]
    enabled: List[MessagingChannel] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)


def _set(env: Mapping[str, str], variable: str) -> bool:
    return bool((env.get(variable) or "").strip())


def _placeholders(channel: MessagingChannel, env: Mapping[str, str]) -> dict:
    entries = {key: f"${{{var}}}" for key, var in channel.settings.items()}
    entries.update({key: f"${{{var}}}" for key, var in channel.optional.items() if _set(env, var)})
    return entries


def _problems(channel: MessagingChannel, env: Mapping[str, str]) -> List[str]:
    variables = channel.variables + [v for v in channel.optional.values() if _set(env, v)]
    found = []
    for variable in variables:
        check = channel.checks.get(variable)
        problem = check(env[variable].strip()) if check else None
        if problem:
            found.append(f"{variable} {problem}")
    return found


def effective_credentials(base: Mapping[str, Optional[dict]], env: Mapping[str, str]) -> Credentials:
    """`base` (the parsed credentials.yml) plus every messaging channel fully set in `env`."""
    result = Credentials(channels=dict(base))
    for channel in MESSAGING_CHANNELS:
        missing = [v for v in channel.variables if not _set(env, v)]
        if missing:
            if any(_set(env, v) for v in channel.own_variables()):
                result.warnings.append(
                    f"{channel.title} is off: {', '.join(missing)} "
                    f"{'is' if len(missing) == 1 else 'are'} not set.")
            continue
        problems = _problems(channel, env)
        if problems:
            result.warnings.append(f"{channel.title} is off: {'; '.join(problems)}.")
            continue
        result.channels[channel.channel_class] = _placeholders(channel, env)
        result.enabled.append(channel)
    account_set = [v for v in TWILIO_ACCOUNT if _set(env, v)]
    twilio_touched = any(_set(env, v) for c in MESSAGING_CHANNELS if c.shared
                         for v in c.own_variables())
    if account_set and not twilio_touched:
        result.warnings.append(
            f"Twilio is off: {', '.join(account_set)} set, but neither TWILIO_NUMBER (SMS) "
            "nor TWILIO_WHATSAPP_NUMBER (WhatsApp).")
    return result


def write_effective_credentials(env: Mapping[str, str], base_path: Path = BASE_CREDENTIALS,
                                target: Path = EFFECTIVE_CREDENTIALS) -> Credentials:
    """Write the effective credentials file to `target` and return what it holds."""
    base = yaml.safe_load(base_path.read_text()) or {}
    credentials = effective_credentials(base, env)
    target.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# Written at each start from {base_path.name} and the environment "
              "(ops/channel_credentials.py); edit those, not this file.\n")
    target.write_text(header + yaml.safe_dump(credentials.channels, sort_keys=False))
    return credentials


def main() -> int:
    credentials = write_effective_credentials(os.environ)
    for warning in credentials.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    names = ", ".join(c.title for c in credentials.enabled) or "none"
    print(f"{EFFECTIVE_CREDENTIALS.relative_to(ROOT)}: REST, socket.io; messaging channels: {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
