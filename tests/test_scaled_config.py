"""The loopback stack's pieces that need no servers: its nginx configuration and log."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.runtime.scaled import Stack, route, upstream_log


def stack(tmp_path: Path, servers: int = 3) -> Stack:
    (tmp_path / "nginx").mkdir(exist_ok=True)
    return Stack(tmp_path, servers, 2, run_dir=tmp_path / "run")


@pytest.mark.parametrize(("line", "read"), [
    ('2026-12-01T17:00:00+00:00 POST 200 0.012 "127.0.0.1:5101"', ("POST", "127.0.0.1:5101")),
    ('2026-12-01T17:00:00+00:00 GET 200 0.500 "127.0.0.1:5101, 127.0.0.1:5102"',
     ("GET", "127.0.0.1:5102")),  # the first failed; the second answered
    ('2026-12-01T17:00:00+00:00 GET 404 0.000 "-"', ("GET", "-")),
])
def test_the_log_names_the_server_that_answered(tmp_path, line, read):
    (tmp_path / "nginx").mkdir()
    (tmp_path / "nginx" / "access.log").write_text(f"{line}\nnot a log line\n")
    assert upstream_log(stack(tmp_path)) == [read]


def test_the_rotation_takes_the_first_servers_and_the_ports_do_not_overlap(tmp_path):
    whole = stack(tmp_path)
    route(whole, 2)
    conf = (tmp_path / "nginx" / "nginx.conf").read_text()
    assert "127.0.0.1:5101" in conf and "127.0.0.1:5102" in conf and ":5103" not in conf
    assert len(set(whole.ports)) == len(whole.ports)


@pytest.mark.e2e
def test_nginx_accepts_the_configuration(tmp_path):
    route(stack(tmp_path), 3)
    checked = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-q", "-p", str(tmp_path / "nginx"),
         "-e", str(tmp_path / "nginx" / "error.log"),
         "-c", str(tmp_path / "nginx" / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
