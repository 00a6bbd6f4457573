import socket
import stat
from pathlib import Path

import pytest
import yaml
from launcher import free_port

from bot.records.db import DatabaseUnavailable, check_database, make_engine
from bot.runtime.rasa_files import shell_command, tracker_store_config, write_rasa_files
from bot.runtime.serve import serve_rasa
from bot.runtime.supervisor import busy_ports
from bot.settings import Settings, SettingsError


@pytest.mark.parametrize("url", ["sqlite:////tmp/x/assistant.db",
                                 "postgresql://bot:p%40ss@db.local:5433/rehab?sslmode=require"])
def test_database_url_becomes_our_tracker_store_unchanged(url):
    assert tracker_store_config(url) == {
        "type": "bot.adapters.tracker_store.CachingSQLTrackerStore", "database_url": url}


def test_rasa_files_are_private_and_point_at_our_servers(tmp_path):
    settings = Settings.from_env(
        {"BOT_ACTION_PORT": "6111", "DATABASE_URL": f"sqlite:///{tmp_path}/db/a.db"}, root=tmp_path
    )
    endpoints, credentials = write_rasa_files(settings)
    for path in (endpoints, credentials):
        assert path.parent == tmp_path / "var"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = yaml.safe_load(endpoints.read_text())
    assert written["action_endpoint"]["url"] == "http://127.0.0.1:6111/webhook"
    assert written["tracker_store"]["database_url"] == f"sqlite:///{tmp_path}/db/a.db"
    written = yaml.safe_load(credentials.read_text())
    assert set(written) == {"bot.adapters.channels.rest.ApiRestInput",
                            "bot.adapters.socketio.WebsiteChatInput"}
    assert written["bot.adapters.channels.rest.ApiRestInput"] == {"token": settings.api_token}
    assert "lock_store" not in yaml.safe_load(endpoints.read_text())  # one server: in memory


def test_several_rasa_servers_share_a_lock_store_and_the_website_chat_through_redis(tmp_path):
    from rasa.core.utils import AvailableEndpoints

    settings = Settings.from_env({"BOT_REDIS_URL": "redis://127.0.0.1:6390/3",
                                  "BOT_ACTION_URL": "http://127.0.0.1:7000/webhook"},
                                 root=tmp_path)
    endpoints, credentials = write_rasa_files(settings)
    read = AvailableEndpoints.read_endpoints(str(endpoints))
    assert (read.lock_store.type, read.lock_store.url) == (
        "bot.adapters.lock_store.AtomicRedisLockStore", "redis://127.0.0.1:6390/3")
    assert read.action.url == "http://127.0.0.1:7000/webhook"
    chat = yaml.safe_load(credentials.read_text())["bot.adapters.socketio.WebsiteChatInput"]
    assert chat["redis_url"] == "redis://127.0.0.1:6390/3"


def test_the_terminal_shell_listens_on_loopback_and_keeps_no_conversations(tmp_path):
    from rasa.__main__ import create_argument_parser
    from rasa.core.utils import AvailableEndpoints

    settings = Settings.from_env(
        {"BOT_ACTION_PORT": "6111", "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"}, root=tmp_path
    )
    command = shell_command(settings, tmp_path / "model.tar.gz")
    assert command[1:4] == ["-m", "rasa", "shell"]
    args = create_argument_parser().parse_args(command[3:])
    assert args.interface == "127.0.0.1"
    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    assert endpoints.tracker_store is None
    assert endpoints.action.url == "http://127.0.0.1:6111/webhook"
    assert stat.S_IMODE(Path(args.endpoints).stat().st_mode) == 0o600


def test_a_reachable_sqlite_database_passes_the_check(tmp_path):
    check_database(make_engine(f"sqlite:///{tmp_path}/new/folder/a.db"))
    assert (tmp_path / "new" / "folder" / "a.db").is_file()


def test_an_unreachable_database_is_refused_with_the_password_hidden():
    url = f"postgresql://bot:s3cret@127.0.0.1:{free_port()}/rehab"
    with pytest.raises(DatabaseUnavailable, match="cannot reach the database") as caught:
        check_database(make_engine(url))
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)


def test_configured_channels_are_added_to_the_private_credentials_file(tmp_path):
    env = {
        "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2, "TWILIO_AUTH_TOKEN": "twilio-token",
        "TWILIO_NUMBER": "+15550100001,whatsapp:+15550100002",
        "BOT_PUBLIC_URL": "https://chat.clinic.example",
        "CALLBACK_URL": "https://gateway.clinic.example/answers", "CALLBACK_TOKEN": "cb-token",
    }
    _, credentials = write_rasa_files(Settings.from_env(env, root=tmp_path))
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    written = yaml.safe_load(credentials.read_text())
    assert set(written) == {"bot.adapters.channels.rest.ApiRestInput",
                            "bot.adapters.socketio.WebsiteChatInput",
                            "bot.adapters.channels.twilio.TwilioInput",
                            "bot.adapters.channels.callback.CallbackInput"}
    assert written["bot.adapters.channels.twilio.TwilioInput"] == {
        "account_sid": env["TWILIO_ACCOUNT_SID"], "auth_token": "twilio-token",
        "numbers": ["+15550100001", "whatsapp:+15550100002"],
        "api_url": "https://api.twilio.com", "public_url": "https://chat.clinic.example",
    }
    assert written["bot.adapters.channels.callback.CallbackInput"] == {
        "url": "https://gateway.clinic.example/answers", "token": "cb-token"}


def test_ports_in_use_are_named_with_their_setting():
    ports = {name: free_port() for name in ("BOT_RASA_PORT", "BOT_ACTION_PORT", "BOT_WEB_PORT")}
    settings = Settings.from_env({name: str(port) for name, port in ports.items()})
    assert busy_ports(settings) == []
    with socket.create_server(("127.0.0.1", ports["BOT_WEB_PORT"])):
        assert busy_ports(settings) == [f"{ports['BOT_WEB_PORT']} (BOT_WEB_PORT)"]
    assert busy_ports(settings) == []


def test_the_http_api_is_never_served_without_a_token(tmp_path):
    settings = Settings.from_env({"BOT_API_TOKEN": ""}, root=tmp_path)
    with pytest.raises(SettingsError, match="BOT_API_TOKEN"):
        serve_rasa(settings, tmp_path / "model.tar.gz")
