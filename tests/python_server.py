"""A small Python web server in its own process, on a free port, for one test or module."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from launcher import free_port

from bot.settings import ROOT


@contextmanager
def python_server(script: str, *args: str) -> Iterator[str]:
    """Run `python -c script PORT *args` and yield its URL once it answers HTTP."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", script, str(port), *args],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url, timeout=2)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the test server did not start: {script}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
