"""A throw-away `redis-server` on loopback, on a free port, keeping nothing on disk.

Debian's `redis-server` package provides it (CI installs it: `apt-get install -y
redis-server`); a missing server fails the tests that need it, loudly, rather than
skipping them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import redis
from launcher import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@dataclass
class RedisServer:
    """A running redis-server and where to reach it."""

    process: subprocess.Popen[bytes]
    port: int
    password: str | None = None

    def url(self, db: int = 0) -> str:
        """Its `redis://` URL for database `db` (with the password, if it has one)."""
        auth = f":{quote(self.password, safe='')}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        """A client of database `db`."""
        return redis.Redis.from_url(self.url(db))


@contextmanager
def redis_server(password: str | None = None) -> Iterator[RedisServer]:
    """Run a redis-server (no snapshots, no append-only file) until the block ends."""
    if not Path(REDIS_SERVER).is_file():
        raise RuntimeError(f"no redis-server at {REDIS_SERVER}: these tests need Debian's "
                           f"redis-server package (apt-get install -y redis-server)")
    with tempfile.TemporaryDirectory(prefix="redis-") as folder:
        port, log = free_port(), Path(folder) / "redis.log"
        command = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", folder, "--logfile", str(log)]
        if password:
            command += ["--requirepass", password]
        server = RedisServer(subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.STDOUT), port, password)
        try:
            _wait_until_ready(server, log)
            yield server
        finally:
            server.process.terminate()
            server.process.wait(timeout=30)


def _wait_until_ready(server: RedisServer, log: Path) -> None:
    """Return once the server answers PING; its log in the error if it never does."""
    client, deadline = server.client(), time.monotonic() + 30
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if server.process.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text() if log.exists() else "(no log)"
                    raise RuntimeError(f"redis-server did not start:\n{text}") from None
                time.sleep(0.05)
    finally:
        client.close()
