"""The systemd unit a clinic installs: valid for systemd, and it runs what `make run` runs."""

import configparser
import getpass
import shutil
import subprocess

import pytest

from bot.settings import ROOT

UNIT = ROOT / "deploy" / "systemd" / "rehab-assistant.service"
INSTALLED = "/opt/rehab-assistant"


def test_the_service_runs_the_supervisor_and_is_restarted_only_on_failure():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(UNIT.read_text())
    service = unit["Service"]
    assert service["ExecStart"] == f"{INSTALLED}/.venv/bin/python -m bot run"
    assert service["WorkingDirectory"] == INSTALLED  # where settings find .env and clinic.yml
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"  # the supervisor's clean stop, like Ctrl-C
    assert service["KillMode"] == "mixed"  # to the supervisor alone, which stops the servers
    assert int(unit["Unit"]["StartLimitBurst"]) > 1


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze")
def test_systemd_accepts_the_unit_as_installed_here(tmp_path):
    user = getpass.getuser()
    here = (UNIT.read_text().replace(INSTALLED, str(ROOT))
            .replace("User=rehab", f"User={user}").replace("Group=rehab", f"Group={user}"))
    (tmp_path / UNIT.name).write_text(here)
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / UNIT.name)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
