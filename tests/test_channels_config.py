"""Switching channels on and off: what `python -m bot run` says and refuses at start-up."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from channel_standin import NO_CHANNELS

from bot.adapters.channels.config import CLASSES, start_up_lines
from bot.settings import ROOT, Settings


def test_start_up_lines_name_the_webhooks_and_never_a_secret(tmp_path):
    env = {
        "SLACK_TOKEN": "xoxb-secret-token", "SLACK_SIGNING_SECRET": "signing-secret",
        "CALLBACK_URL": "https://user:pw@gateway.example:8443/in?key=k3y",
        "CALLBACK_TOKEN": "callback-secret",
    }
    channels = Settings.from_env(env, root=tmp_path).channels
    lines = start_up_lines(channels, "http://127.0.0.1:5005")
    assert lines == [
        "Slack channel:     POST http://127.0.0.1:5005/webhooks/slack/webhook",
        "Callback channel:  POST http://127.0.0.1:5005/webhooks/callback/webhook "
        "(answers to https://gateway.example:8443)",
    ]
    public = Settings.from_env({**env, "BOT_PUBLIC_URL": "https://chat.example"}, root=tmp_path)
    assert start_up_lines(public.channels, "http://127.0.0.1:5005")[0] == (
        "Slack channel:     POST https://chat.example/webhooks/slack/webhook")
    for secret in ("xoxb-secret-token", "signing-secret", "pw", "k3y", "callback-secret"):
        assert all(secret not in line for line in lines)


def test_every_channel_class_is_importable_by_its_credentials_key():
    for name, path in CLASSES.items():
        module, _, cls = path.rpartition(".")
        assert getattr(importlib.import_module(module), cls).name() == name


@pytest.mark.e2e
def test_a_partly_configured_channel_stops_the_start_naming_the_missing_variable(tmp_path):
    env = {**os.environ, **NO_CHANNELS, "BOT_VAR_DIR": str(tmp_path),
           "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_NUMBER": "+15550100001"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "python -m bot: The Twilio channel is partly configured: TWILIO_AUTH_TOKEN is not set"
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "credentials.yml").exists()
