"""The effective credentials file: the base channels plus each messaging channel fully set."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ops.channel_credentials import effective_credentials, write_effective_credentials
from ops.stack import ROOT
from tests.support.messaging_requests import SECRETS

BASE = {"channels.handoff_rest.HandoffRestInput": None,
        "channels.handoff_socketio.HandoffSocketIOInput": {"session_persistence": True}}
TELEGRAM = "channels.verified_telegram.VerifiedTelegramInput"
FACEBOOK = "channels.verified_facebook.VerifiedFacebookInput"
SMS = "channels.verified_twilio.VerifiedTwilioInput"
WHATSAPP = "channels.verified_twilio.VerifiedTwilioWhatsAppInput"
SLACK = "channels.verified_slack.VerifiedSlackInput"


def only(*prefixes: str) -> dict:
    return {k: v for k, v in SECRETS.items() if k.startswith(prefixes)}


def test_without_settings_only_rest_and_socketio_are_on_and_nobody_is_warned():
    result = effective_credentials(BASE, {"PATH": "/usr/bin"})
    assert result.channels == BASE and result.enabled == [] and result.warnings == []


def test_every_fully_set_channel_is_on_with_placeholders_not_secrets():
    result = effective_credentials(BASE, SECRETS)
    assert list(result.channels) == [*BASE, TELEGRAM, FACEBOOK, SMS, WHATSAPP, SLACK]
    assert result.warnings == []
    assert result.channels[TELEGRAM] == {
        "access_token": "${TELEGRAM_ACCESS_TOKEN}", "verify": "${TELEGRAM_BOT_NAME}",
        "webhook_url": "${TELEGRAM_WEBHOOK_URL}", "secret_token": "${TELEGRAM_SECRET_TOKEN}"}
    assert result.channels[SLACK] == {"slack_token": "${SLACK_BOT_TOKEN}",
                                      "slack_signing_secret": "${SLACK_SIGNING_SECRET}"}
    written = yaml.safe_dump(result.channels)
    assert not any(secret in written for secret in SECRETS.values())


def test_an_api_url_is_passed_on_only_when_set():
    env = {**only("SLACK_"), "SLACK_API_URL": "http://127.0.0.1:9/slack/api/"}
    result = effective_credentials(BASE, env)
    assert result.channels[SLACK]["api_url"] == "${SLACK_API_URL}"
    assert "api_url" not in effective_credentials(BASE, only("SLACK_")).channels[SLACK]


def test_a_partial_channel_is_off_with_a_warning_naming_what_is_missing():
    env = {"TELEGRAM_ACCESS_TOKEN": SECRETS["TELEGRAM_ACCESS_TOKEN"], **only("SLACK_")}
    result = effective_credentials(BASE, env)
    assert TELEGRAM not in result.channels and SLACK in result.channels
    assert result.warnings == ["Telegram is off: TELEGRAM_BOT_NAME, TELEGRAM_WEBHOOK_URL, "
                               "TELEGRAM_SECRET_TOKEN are not set."]


def test_a_blank_variable_counts_as_missing():
    env = {**only("FACEBOOK_"), "FACEBOOK_APP_SECRET": "  "}
    result = effective_credentials(BASE, env)
    assert FACEBOOK not in result.channels
    assert result.warnings == ["Facebook Messenger is off: FACEBOOK_APP_SECRET is not set."]


def test_sms_without_whatsapp_is_not_a_partial_whatsapp():
    env = {k: v for k, v in only("TWILIO_").items() if "WHATSAPP" not in k}
    result = effective_credentials(BASE, env)
    assert SMS in result.channels and WHATSAPP not in result.channels
    assert result.warnings == []


def test_a_twilio_account_without_any_number_is_warned_about():
    env = {k: SECRETS[k] for k in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")}
    result = effective_credentials(BASE, env)
    assert SMS not in result.channels and WHATSAPP not in result.channels
    assert result.warnings == ["Twilio is off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN set, but "
                               "neither TWILIO_NUMBER (SMS) nor TWILIO_WHATSAPP_NUMBER (WhatsApp)."]


def test_whatsapp_number_without_the_account_names_the_account_variables():
    env = {k: SECRETS[k] for k in ("TWILIO_WHATSAPP_NUMBER", "TWILIO_WHATSAPP_WEBHOOK_URL")}
    assert effective_credentials(BASE, env).warnings == [
        "WhatsApp (Twilio) is off: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN are not set."]


@pytest.mark.parametrize("variable, value, problem", [
    ("TELEGRAM_ACCESS_TOKEN", "not-a-token", "TELEGRAM_ACCESS_TOKEN must look like"),
    ("TELEGRAM_SECRET_TOKEN", "has spaces but is long!", "TELEGRAM_SECRET_TOKEN must be 16-256 characters"),
    ("TELEGRAM_SECRET_TOKEN", "x", "TELEGRAM_SECRET_TOKEN must be 16-256 characters"),
    ("TELEGRAM_WEBHOOK_URL", "bot.example.com/hook", "TELEGRAM_WEBHOOK_URL must be an http(s)"),
    ("TELEGRAM_API_URL", "localhost:8081", "TELEGRAM_API_URL must be an http(s)"),
])
def test_a_value_the_channel_would_crash_on_turns_it_off_with_the_reason(variable, value, problem):
    result = effective_credentials(BASE, {**only("TELEGRAM_"), variable: value})
    assert TELEGRAM not in result.channels
    (warning,) = result.warnings
    assert warning.startswith("Telegram is off: ") and problem in warning


@pytest.mark.parametrize("prefix, variable, title", [
    ("FACEBOOK_", "FACEBOOK_APP_SECRET", "Facebook Messenger"),
    ("FACEBOOK_", "FACEBOOK_VERIFY_TOKEN", "Facebook Messenger"),
    ("TWILIO_", "TWILIO_AUTH_TOKEN", "Twilio SMS"),
    ("SLACK_", "SLACK_SIGNING_SECRET", "Slack"),
])
def test_a_short_secret_turns_the_channel_off(prefix, variable, title):
    """Before, a 1-character secret was accepted: a forged request needed only a few guesses."""
    result = effective_credentials(BASE, {**only(prefix), variable: "abc"})
    assert any(w.startswith(title) and f"{variable} must be at least 16 characters" in w
               for w in result.warnings), result.warnings


def test_the_written_file_is_what_rasa_reads_with_the_secrets_filled_in(tmp_path: Path, monkeypatch):
    from rasa.shared.utils.io import read_config_file

    target = tmp_path / "var" / "credentials.yml"
    result = write_effective_credentials(SECRETS, ROOT / "credentials.yml", target)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    loaded = read_config_file(str(target))
    assert [c.title for c in result.enabled] == [
        "Telegram", "Facebook Messenger", "Twilio SMS", "WhatsApp (Twilio)", "Slack"]
    assert loaded[TELEGRAM]["secret_token"] == SECRETS["TELEGRAM_SECRET_TOKEN"]
    assert loaded[WHATSAPP]["twilio_number"] == SECRETS["TWILIO_WHATSAPP_NUMBER"]
    assert loaded["channels.handoff_socketio.HandoffSocketIOInput"]["session_persistence"] is True
    assert "channels.handoff_rest.HandoffRestInput" in loaded
    assert SECRETS["SLACK_SIGNING_SECRET"] not in target.read_text()
