import os
import stat

import pytest

from bot.settings import Settings, SettingsError, ensure_secrets, read_dotenv, write_private


def test_defaults_need_no_configuration(tmp_path):
    settings = Settings.from_env({}, root=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'assistant.db'}"
    assert settings.api_token is None
    assert (settings.host, settings.rasa_port, settings.action_port) == ("127.0.0.1", 5005, 5055)
    assert settings.clinic_file == tmp_path / "clinic.yml"
    assert settings.triage_rules_file == tmp_path / "triage_rules.yml"
    assert settings.var_dir == tmp_path / "var"
    assert settings.log_level == "INFO"
    assert settings.cors_origins == ()
    assert settings.action_server_url == "http://127.0.0.1:5055/webhook"
    assert (settings.web_port, settings.secret_key, settings.socket_url) == (8000, None, "")
    assert settings.retention_days == 365
    assert (settings.redis_url, settings.background_work) == (None, True)
    assert settings.rasa_api_url == "http://127.0.0.1:5005"


def test_environment_overrides_every_setting(tmp_path):
    env = {
        "DATABASE_URL": "postgresql://bot:pw@db.local:5433/rehab",
        "BOT_API_TOKEN": "s3cret",
        "BOT_HOST": "0.0.0.0",
        "BOT_RASA_PORT": "6005",
        "BOT_ACTION_PORT": "6055",
        "BOT_CLINIC_FILE": "/etc/clinic.yml",
        "BOT_TRIAGE_RULES": "rules/strict.yml",
        "BOT_VAR_DIR": "state",
        "BOT_LOG_LEVEL": "warning",
        "BOT_CORS_ORIGINS": "http://localhost:8000, https://clinic.example",
        "BOT_WEB_PORT": "8080",
        "BOT_SECRET_KEY": "k3y",
        "BOT_SOCKET_URL": "https://chat.clinic.example/",
        "BOT_RETENTION_DAYS": "90",
        "BOT_REDIS_URL": "redis://cache.local:6380/2",
        "BOT_ACTION_URL": "http://actions:5055/webhook",
        "BOT_BACKGROUND_WORK": "off",
        "BOT_RASA_URL": "http://balancer.local:8080/",
    }
    settings = Settings.from_env(env, root=tmp_path)
    assert settings.database_url == env["DATABASE_URL"]
    assert settings.api_token == "s3cret"
    assert (settings.host, settings.rasa_port, settings.action_port) == ("0.0.0.0", 6005, 6055)
    assert str(settings.clinic_file) == "/etc/clinic.yml"
    assert settings.triage_rules_file == tmp_path / "rules" / "strict.yml"
    assert settings.var_dir == tmp_path / "state"
    assert settings.log_level == "WARNING"
    assert settings.cors_origins == ("http://localhost:8000", "https://clinic.example")
    assert settings.action_server_url == "http://actions:5055/webhook"
    assert (settings.web_port, settings.secret_key) == (8080, "k3y")
    assert settings.socket_url == "https://chat.clinic.example"
    assert settings.retention_days == 90
    assert (settings.redis_url, settings.background_work) == ("redis://cache.local:6380/2", False)
    assert settings.rasa_api_url == "http://balancer.local:8080"


def test_environment_wins_over_dotenv(tmp_path):
    (tmp_path / ".env").write_text("BOT_API_TOKEN=from-file\nBOT_RASA_PORT=7000\n")
    settings = Settings.from_env({"BOT_API_TOKEN": "from-env"}, root=tmp_path)
    assert settings.api_token == "from-env"
    assert settings.rasa_port == 7000


def test_dotenv_parsing(tmp_path):
    path = tmp_path / ".env"
    path.write_text("# comment\n\nexport A=1\nB = 'two words'\nC=\"x=y\"\nnot a pair\n")
    assert read_dotenv(path) == {"A": "1", "B": "two words", "C": "x=y"}
    assert read_dotenv(tmp_path / "missing") == {}


@pytest.mark.parametrize(("line", "value"), [
    ("KEY='pa#ss word'", "pa#ss word"),         # a quoted # is part of the value
    ('KEY="pa#ss" # the password', "pa#ss"),  # a comment after a quoted value
    ("KEY=plain # a comment", "plain"),          # a comment after a space
    ("KEY=pa#ss", "pa#ss"),                      # no space before #: still the value
    ('KEY="it\'s \\"quoted\\""', 'it\'s "quoted"'),
    ("KEY=", ""),
    ("KEY=x${HOME}y", "x${HOME}y"),             # never expanded: a secret stays as written
    ('KEY="p${NOPE}q"', "p${NOPE}q"),
])
def test_dotenv_values_are_read_as_a_shell_reads_them(tmp_path, line, value):
    path = tmp_path / ".env"
    path.write_text(line + "\n")
    assert read_dotenv(path) == {"KEY": value}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BOT_RASA_PORT", "http", "must be a port number"),
        ("BOT_ACTION_PORT", "0", "between 1 and 65535"),
        ("BOT_RASA_PORT", "70000", "between 1 and 65535"),
        ("BOT_RETENTION_DAYS", "a year", "whole number"),
        ("BOT_RETENTION_DAYS", "0", "at least 1"),
        ("BOT_SOCKET_URL", "javascript:alert(1)", "http:// or https://"),
        ("BOT_SOCKET_URL", "chat.clinic.example", "http:// or https://"),
        ("BOT_SOCKET_URL", "https://chat.clinic.example:99999", "http:// or https://"),
        ("BOT_LOG_LEVEL", "loud", "BOT_LOG_LEVEL must be"),
        ("BOT_TRUSTED_PROXIES", "-1", "at least 0"),
        ("BOT_TRUSTED_PROXIES", "nginx", "whole number"),
        ("BOT_REDIS_URL", "cache.local:6379", "redis:// or rediss://"),
        ("BOT_ACTION_URL", "actions:5055", "http:// or https://"),
        ("BOT_BACKGROUND_WORK", "sometimes", "on or off"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(tmp_path, name, value, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({name: value}, root=tmp_path)


def test_secrets_are_generated_once_and_kept_private(tmp_path):
    (tmp_path / ".env").write_text("BOT_LOG_LEVEL=INFO")
    settings, generated = ensure_secrets(Settings.from_env({}, root=tmp_path))
    assert generated == ["BOT_API_TOKEN", "BOT_SECRET_KEY"]
    assert len(settings.api_token) >= 32 and len(settings.secret_key) >= 32
    assert settings.api_token != settings.secret_key
    dotenv = tmp_path / ".env"
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    assert read_dotenv(dotenv) == {
        "BOT_LOG_LEVEL": "INFO",
        "BOT_API_TOKEN": settings.api_token,
        "BOT_SECRET_KEY": settings.secret_key,
    }
    again, generated_again = ensure_secrets(Settings.from_env({}, root=tmp_path))
    assert generated_again == [] and again == settings


def test_an_empty_variable_never_hides_the_stored_token(tmp_path):
    """Found by a review: `BOT_API_TOKEN=` in the environment left the HTTP API open."""
    stored, _ = ensure_secrets(Settings.from_env({"BOT_API_TOKEN": ""}, root=tmp_path))
    child = Settings.from_env({"BOT_API_TOKEN": "", "BOT_SECRET_KEY": ""}, root=tmp_path)
    assert child.api_token == stored.api_token and child.secret_key == stored.secret_key
    assert child.api_token


def test_secrets_files_are_private_even_when_they_existed_before(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("BOT_LOG_LEVEL=INFO\n")
    dotenv.chmod(0o644)
    previous = os.umask(0)
    try:
        ensure_secrets(Settings.from_env({}, root=tmp_path))
        write_private(tmp_path / "new.yml", "secret: x\n")
    finally:
        os.umask(previous)
    for path in (dotenv, tmp_path / "new.yml"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (tmp_path / "new.yml").read_text() == "secret: x\n"


def test_only_the_missing_secret_is_generated(tmp_path):
    settings, generated = ensure_secrets(
        Settings.from_env({"BOT_API_TOKEN": "given"}, root=tmp_path)
    )
    assert generated == ["BOT_SECRET_KEY"] and settings.api_token == "given"
    assert "BOT_API_TOKEN" not in read_dotenv(tmp_path / ".env")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ("http://127.0.0.1:8000", "http://localhost:8000")),
        ({"BOT_WEB_PORT": "8080", "BOT_HOST": "0.0.0.0"},
         ("http://127.0.0.1:8080", "http://localhost:8080")),
        ({"BOT_CORS_ORIGINS": "https://clinic.example"}, ("https://clinic.example",)),
    ],
)
def test_browser_origins_default_to_the_clinic_site(tmp_path, environ, expected):
    assert Settings.from_env(environ, root=tmp_path).allowed_origins == expected


CHANNEL_ENV = {
    "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
    "TWILIO_AUTH_TOKEN": "twilio-token",
    "TWILIO_NUMBER": "+15550100001, whatsapp:+15550100002",
    "TELEGRAM_TOKEN": "123456:telegram-token",
    "TELEGRAM_BOT_NAME": "@ClinicBot",
    "TELEGRAM_WEBHOOK_URL": "https://chat.clinic.example/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "a-secret-token-of-16-or-more",
    "SLACK_TOKEN": "xoxb-1",
    "SLACK_SIGNING_SECRET": "slack-secret",
    "FACEBOOK_VERIFY": "verify-me",
    "FACEBOOK_SECRET": "app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "page-token",
    "FACEBOOK_PAGE_ID": "1234567890",
    "CALLBACK_URL": "https://gateway.clinic.example/answers",
    "CALLBACK_TOKEN": "callback-token",
}


def test_no_channel_is_on_without_its_settings(tmp_path):
    channels = Settings.from_env({}, root=tmp_path).channels
    assert (channels.twilio, channels.telegram, channels.slack, channels.facebook,
            channels.callback, channels.public_url) == (None, None, None, None, None, "")
    only_an_api_url = Settings.from_env({"TWILIO_API_URL": "http://127.0.0.1:9"}, root=tmp_path)
    assert only_an_api_url.channels.twilio is None


def test_every_channel_is_on_with_its_settings_and_the_real_platforms_by_default(tmp_path):
    channels = Settings.from_env(
        {**CHANNEL_ENV, "BOT_PUBLIC_URL": "https://chat.clinic.example/"}, root=tmp_path
    ).channels
    assert channels.twilio.numbers == ("+15550100001", "whatsapp:+15550100002")
    assert channels.twilio.api_url == "https://api.twilio.com"
    assert channels.telegram.bot_name == "ClinicBot"
    assert channels.telegram.api_url == "https://api.telegram.org"
    assert channels.slack.api_url == "https://slack.com/api/"
    assert channels.facebook.page_id == "1234567890"
    assert channels.facebook.api_url == "https://graph.facebook.com"
    assert channels.callback.url == "https://gateway.clinic.example/answers"
    assert channels.public_url == "https://chat.clinic.example"


@pytest.mark.parametrize(
    ("dropped", "channel"),
    [
        ("TWILIO_AUTH_TOKEN", "Twilio"),
        ("TELEGRAM_SECRET_TOKEN", "Telegram"),
        ("TELEGRAM_BOT_NAME", "Telegram"),
        ("SLACK_SIGNING_SECRET", "Slack"),
        ("FACEBOOK_PAGE_ID", "Messenger"),
        ("CALLBACK_TOKEN", "Callback"),
    ],
)
def test_a_partly_configured_channel_is_refused_naming_what_is_missing(tmp_path, dropped,
                                                                         channel):
    env = {name: value for name, value in CHANNEL_ENV.items() if name != dropped}
    with pytest.raises(SettingsError, match=f"The {channel} channel is partly configured: "
                                            f"{dropped} is not set") as caught:
        Settings.from_env(env, root=tmp_path)
    assert all(value not in str(caught.value) for value in CHANNEL_ENV.values())


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TWILIO_ACCOUNT_SID", "SK0123", "TWILIO_ACCOUNT_SID must be AC and 32 hex digits"),
        ("TWILIO_NUMBER", "555-0100", "TWILIO_NUMBER must be comma-separated numbers"),
        ("TWILIO_NUMBER", ",", "TWILIO_NUMBER must be"),
        ("TWILIO_NUMBER", "sms:+15550100001", "TWILIO_NUMBER must be"),
        ("TELEGRAM_TOKEN", "not a token", "TELEGRAM_TOKEN must be the bot token"),
        ("TELEGRAM_WEBHOOK_URL", "http://chat.clinic.example/hook", "must be an https:// URL"),
        ("TELEGRAM_SECRET_TOKEN", "short", "TELEGRAM_SECRET_TOKEN must be 16 to 256"),
        ("FACEBOOK_PAGE_ID", "my-page", "FACEBOOK_PAGE_ID must be the page's numeric id"),
        ("CALLBACK_URL", "gateway.clinic.example", "CALLBACK_URL must be an http"),
        ("CALLBACK_URL", "https://gateway.clinic.example:abc/in", "CALLBACK_URL must be an http"),
        ("CALLBACK_URL", "https://gateway.clinic.example/a b", "CALLBACK_URL must be an http"),
        ("SLACK_API_URL", "slack.local", "SLACK_API_URL must be an http"),
        ("BOT_PUBLIC_URL", "chat.clinic.example", "BOT_PUBLIC_URL must be an http"),
    ],
)
def test_malformed_channel_settings_are_refused_without_echoing_them(tmp_path, name, value,
                                                                      message):
    with pytest.raises(SettingsError, match=message) as caught:
        Settings.from_env({**CHANNEL_ENV, name: value}, root=tmp_path)
    assert repr(value) not in str(caught.value)


def test_channel_secrets_stay_out_of_the_settings_repr(tmp_path):
    shown = repr(Settings.from_env(CHANNEL_ENV, root=tmp_path))
    for name in ("TWILIO_AUTH_TOKEN", "TELEGRAM_TOKEN", "TELEGRAM_SECRET_TOKEN", "SLACK_TOKEN",
                 "SLACK_SIGNING_SECRET", "FACEBOOK_VERIFY", "FACEBOOK_SECRET",
                 "FACEBOOK_PAGE_ACCESS_TOKEN", "CALLBACK_URL", "CALLBACK_TOKEN"):
        assert CHANNEL_ENV[name] not in shown, name
    assert "+15550100001" in shown


MAIL = {"BOT_NOTIFY_EMAIL": "intake@clinic.example, lead@clinic.example",
        "BOT_SMTP_HOST": "smtp.clinic.example"}


def test_notifications_are_off_unless_set(tmp_path):
    assert not Settings.from_env({}, root=tmp_path).notify.any


def test_mail_notifications_read_their_settings(tmp_path):
    notify = Settings.from_env({**MAIL, "BOT_SMTP_TLS": "ssl"}, root=tmp_path).notify
    assert notify.email_to == ("intake@clinic.example", "lead@clinic.example")
    assert (notify.smtp_port, notify.smtp_tls, notify.smtp_from) == (
        465, "ssl", "intake@clinic.example")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BOT_NOTIFY_EMAIL": "intake@clinic.example"}, "both BOT_NOTIFY_EMAIL and BOT_SMTP_HOST"),
        ({"BOT_SMTP_HOST": "smtp.clinic.example"}, "both BOT_NOTIFY_EMAIL and BOT_SMTP_HOST"),
        ({**MAIL, "BOT_NOTIFY_EMAIL": "intake"}, "must be email addresses"),
        ({**MAIL, "BOT_SMTP_TLS": "maybe"}, "starttls, ssl or none"),
        ({"BOT_NOTIFY_WEBHOOK_URL": "https://hooks.example/x"}, "needs BOT_NOTIFY_WEBHOOK_SECRET"),
        ({"BOT_NOTIFY_WEBHOOK_URL": "ftp://x", "BOT_NOTIFY_WEBHOOK_SECRET": "s"}, "http"),
        ({"BOT_STAFF_URL": "clinic.example"}, "BOT_STAFF_URL must be an http"),
    ],
)
def test_notification_settings_that_cannot_work_are_refused(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env, root=tmp_path)
