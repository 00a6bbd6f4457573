import os
import subprocess
import sys

from bot.launcher import free_port
from bot.settings import ROOT


def test_run_refuses_to_start_without_its_database(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://bot:s3cret@127.0.0.1:{free_port()}/rehab",
        "BOT_VAR_DIR": str(tmp_path),
        "BOT_API_TOKEN": "x",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr
    assert "Not starting: conversations would be lost" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout
