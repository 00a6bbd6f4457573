import stat

import pytest
import yaml

from bot.servers import tracker_store_config, write_rasa_files
from bot.settings import Settings


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "sqlite:////tmp/x/assistant.db",
            {"type": "SQL", "dialect": "sqlite", "db": "/tmp/x/assistant.db"},
        ),
        (
            "postgresql://bot:p%40ss@db.local:5433/rehab",
            {"type": "SQL", "dialect": "postgresql", "url": "db.local", "port": 5433,
             "db": "rehab", "username": "bot", "password": "p@ss"},
        ),
        (
            "postgresql+psycopg2://bot@localhost/rehab?sslmode=require",
            {"type": "SQL", "dialect": "postgresql+psycopg2", "url": "localhost", "db": "rehab",
             "username": "bot", "query": {"sslmode": "require"}},
        ),
    ],
)
def test_database_url_becomes_a_rasa_tracker_store(url, expected):
    assert tracker_store_config(url) == expected


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
    assert written["tracker_store"]["db"] == f"{tmp_path}/db/a.db"
    assert (tmp_path / "db").is_dir()
    assert set(yaml.safe_load(credentials.read_text())) == {"rest", "socketio"}
