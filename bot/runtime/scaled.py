"""The scale-out stack on one machine, from Debian's packages, for clinics and for the proof.

`python -m bot scale-up [--servers N] [--actions M]` starts PostgreSQL (tracker store and
our tables), Redis (the lock store, and the website chat's messages between Rasa
servers), N Rasa servers, M action servers and the website, behind nginx on
127.0.0.1:8080; it returns once every server answers. `scale-down` stops it all. The
servers run under the same supervisor as `make run` (`serve-scaled`, detached), so a
crashed one is started again. What runs where is written to `var/scale/stack.json`.

Only the website does background work (retention, notifications): one per installation.
Missing packages (postgresql, redis-server, nginx-light) are installed with apt
(`scripts/install_packages.sh`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import redis
import requests
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.records.db import migrate
from bot.runtime.restarts import RestartPolicy
from bot.runtime.supervisor import ACTION_SERVER, port_taken, supervise
from bot.runtime.training import rasa_env
from bot.settings import SECRET_KEY_VAR, TOKEN_VAR, Settings, SettingsError

PACKAGES = ("postgresql", "redis-server", "nginx-light")
INSTALL_SCRIPT = "scripts/install_packages.sh"
POSTGRES_SCRIPT = "scripts/postgres_for_tests.sh"
READY_SECONDS = 420
"""Two Rasa servers loading at once on 2 cores take about 90 s; a cold disk more."""


class StackError(RuntimeError):
    """The stack cannot start or stop; the message says why and what to do."""


@dataclass(frozen=True)
class Stack:
    """Where each part of one loopback stack listens, and its supervisor's process."""

    dir: Path
    servers: int
    actions: int
    port: int = 8080
    postgres_port: int = 55433
    redis_port: int = 6390
    actions_port: int = 5200
    web_port: int = 8101
    first_rasa_port: int = 5101
    first_action_port: int = 5201
    run_dir: Path = Path()
    """PostgreSQL's data and nginx's buffers, in a fresh private-named folder under /tmp:
    the `postgres` and `nobody` users may not reach `dir` (a test's temporary folder)."""
    supervisor_pid: int = 0

    @property
    def url(self) -> str:
        """The public address: the website, the chat and the Rasa API, through nginx."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def rasa_ports(self) -> list[int]:
        """The Rasa servers', each on loopback."""
        return [self.first_rasa_port + i for i in range(self.servers)]

    @property
    def action_ports(self) -> list[int]:
        """The action servers' (nginx balances them on `actions_port`)."""
        return [self.first_action_port + i for i in range(self.actions)]

    @property
    def database_url(self) -> str:
        """Loopback only; the password is no secret there (trust authentication)."""
        return f"postgresql://bot:bot@127.0.0.1:{self.postgres_port}/bot"

    @property
    def postgres_dir(self) -> Path:
        """PostgreSQL's data: thrown away by the next `scale-up`."""
        return self.run_dir / "postgres"

    @property
    def nginx_temp(self) -> Path:
        """Where nginx's workers buffer large request bodies."""
        return self.run_dir / "nginx"

    @property
    def ports(self) -> list[int]:
        """Every port the stack listens on (all on 127.0.0.1)."""
        return [self.port, self.postgres_port, self.redis_port, self.actions_port,
                self.web_port, *self.rasa_ports, *self.action_ports]

    @property
    def redis_url(self) -> str:
        """The lock store's and the website chat's Redis."""
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def save(self) -> None:
        """Record the stack, so that `scale-down` and the proof find it."""
        record = {**asdict(self), "dir": str(self.dir), "run_dir": str(self.run_dir)}
        (self.dir / "stack.json").write_text(json.dumps(record, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Stack | None:
        """The stack recorded in `directory`, None when none is up."""
        path = directory / "stack.json"
        if not path.is_file():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{**record, "dir": Path(record["dir"]), "run_dir": Path(record["run_dir"])})


def stack_dir(settings: Settings) -> Path:
    """Everything the stack writes: data, logs, generated configuration."""
    return settings.var_dir / "scale"


def up(settings: Settings, model: Path, servers: int, actions: int) -> Stack:
    """Start the whole stack and wait until every server answers; it keeps running.

    What started is recorded first, so a failure half-way stops all of it again.
    """
    if not (0 < servers < 100 and 0 < actions < 100):
        raise StackError("SERVERS and ACTIONS must be between 1 and 99")
    if not settings.api_token or not settings.secret_key:
        raise SettingsError(f"{TOKEN_VAR} and {SECRET_KEY_VAR} must be set")
    directory = stack_dir(settings)
    if Stack.load(directory):
        raise StackError(f"a stack is already up ({directory}): `make scale-down` first")
    busy = [port for port in Stack(directory, servers, actions).ports if port_taken(port)]
    if busy:
        raise StackError(f"something already listens on port {', '.join(map(str, busy))}")
    if subprocess.run([str(settings.root / INSTALL_SCRIPT), *PACKAGES]).returncode != 0:
        raise StackError(f"Debian's {', '.join(PACKAGES)} could not be installed")
    directory.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="rehab-scale-"))
    run_dir.chmod(0o755)
    stack = Stack(directory, servers, actions, run_dir=run_dir)
    stack.save()
    try:
        _start_postgres(settings, stack)
        _start_redis(stack)
        migrate(stack.database_url)
        route(stack, servers)
        _nginx(stack)
        with (directory / "servers.log").open("ab") as log:
            supervisor = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve-scaled", "--model", str(model)],
                cwd=settings.root, env=rasa_env(), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        stack = replace(stack, supervisor_pid=supervisor.pid)
        stack.save()
        _wait_ready(stack, supervisor)
    except BaseException:
        down(settings)
        raise
    return stack


def serve(settings: Settings, model: Path) -> int:
    """Run the recorded stack's servers in the foreground (`serve-scaled`)."""
    stack = Stack.load(stack_dir(settings))
    if stack is None:
        raise StackError("no stack recorded: start it with `make scale-up`")
    common = {**rasa_env(), "SANIC_HOST": "127.0.0.1", "DATABASE_URL": stack.database_url,
              "BOT_REDIS_URL": stack.redis_url, "BOT_TRUSTED_PROXIES": "1",
              "BOT_ACTION_URL": f"http://127.0.0.1:{stack.actions_port}/webhook",
              "BOT_CORS_ORIGINS": f"{stack.url},http://localhost:{stack.port}",
              TOKEN_VAR: settings.api_token or "", SECRET_KEY_VAR: settings.secret_key or ""}
    commands: dict[str, list[str]] = {}
    own_env: dict[str, dict[str, str]] = {}
    for number, port in enumerate(stack.rasa_ports, 1):
        name = f"Rasa server {number}"
        commands[name] = [sys.executable, "-m", "bot", "serve-rasa", "--model", str(model)]
        own_env[name] = {"BOT_RASA_PORT": str(port),
                         "BOT_VAR_DIR": str(stack.dir / f"rasa-{number}")}
    for number, port in enumerate(stack.action_ports, 1):
        commands[f"action server {number}"] = ACTION_SERVER
        own_env[f"action server {number}"] = {"BOT_ACTION_PORT": str(port)}
    commands["website"] = [sys.executable, "-m", "bot", "serve-web"]
    own_env["website"] = {"BOT_WEB_PORT": str(stack.web_port), "BOT_SOCKET_URL": stack.url,
                          "BOT_STAFF_URL": stack.url, "BOT_RASA_URL": stack.url,
                          "BOT_BACKGROUND_WORK": "on"}
    return supervise(commands, settings.root, common, RestartPolicy(), own_env)


def down(settings: Settings) -> bool:
    """Stop every part of the recorded stack and delete its data; False when none was up."""
    directory = stack_dir(settings)
    stack = Stack.load(directory)
    if stack is None:
        return False
    if stack.supervisor_pid:
        _stop_process(stack.supervisor_pid, "serve-scaled", seconds=30)
    for pid_file, program in ((directory / "nginx" / "nginx.pid", "nginx"),
                              (directory / "redis.pid", "redis-server")):
        if pid_file.is_file():
            _stop_process(int(pid_file.read_text().split()[0]), program, seconds=10)
    subprocess.run([str(settings.root / POSTGRES_SCRIPT), "stop", str(stack.postgres_dir),
                    str(stack.postgres_port)], check=False)
    shutil.rmtree(stack.run_dir, ignore_errors=True)
    (directory / "stack.json").unlink()
    return True


def route(stack: Stack, servers: int) -> None:
    """Send the traffic to the first `servers` Rasa servers (nginx reloads if running)."""
    nginx_dir = stack.dir / "nginx"
    nginx_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):  # in our fresh run_dir
        (stack.nginx_temp / sub).mkdir(parents=True, exist_ok=True)
        (stack.nginx_temp / sub).chmod(0o1777)
    template = Environment(loader=FileSystemLoader(Path(__file__).parent),
                           undefined=StrictUndefined, keep_trailing_newline=True,
                           trim_blocks=True, lstrip_blocks=True).get_template("nginx.conf.j2")
    (nginx_dir / "nginx.conf").write_text(template.render(
        dir=nginx_dir, temp=stack.nginx_temp,
        user="nobody nogroup" if os.geteuid() == 0 else None,
        port=stack.port, rasa_ports=stack.rasa_ports[:servers],
        action_ports=stack.action_ports, actions_port=stack.actions_port,
        web_port=stack.web_port), encoding="utf-8")
    pid_file = nginx_dir / "nginx.pid"
    if pid_file.is_file():
        _nginx(stack, "-t")
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGHUP)
        time.sleep(1)  # old workers finish their requests; new ones take the new list


def upstream_log(stack: Stack) -> list[tuple[str, str]]:
    """(method, server) of each request nginx passed on, in order.

    When a server failed, nginx names each it tried; the last one answered. The log holds
    no paths (`nginx.conf.j2`).
    """
    lines = (stack.dir / "nginx" / "access.log").read_text().splitlines()
    return [(line.split()[1], line.rsplit('"', 2)[1].split(", ")[-1])
            for line in lines if line.count('"') >= 2]


def _start_postgres(settings: Settings, stack: Stack) -> None:
    script = settings.root / POSTGRES_SCRIPT
    started = subprocess.run([str(script), "start", str(stack.postgres_dir),
                              str(stack.postgres_port)], capture_output=True, text=True)
    if started.returncode != 0:
        raise StackError(f"PostgreSQL did not start: {started.stderr.strip()}")


def _start_redis(stack: Stack) -> None:
    subprocess.run(["redis-server", "--port", str(stack.redis_port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "yes",
                    "--dir", str(stack.dir), "--pidfile", str(stack.dir / "redis.pid"),
                    "--logfile", str(stack.dir / "redis.log")], check=True)
    client = redis.Redis.from_url(stack.redis_url, socket_timeout=2)
    deadline = time.monotonic() + 10
    while True:  # daemonized, it answers only once it has bound its port
        try:
            client.ping()
            return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise StackError(f"Redis did not start; see {stack.dir / 'redis.log'}") from None
            time.sleep(0.2)


def _nginx(stack: Stack, *args: str) -> None:
    nginx_dir = stack.dir / "nginx"
    done = subprocess.run([shutil.which("nginx") or "/usr/sbin/nginx", "-q",
                           "-p", str(nginx_dir), "-e", str(nginx_dir / "error.log"),
                           "-c", str(nginx_dir / "nginx.conf"), *args],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise StackError(f"nginx refused its configuration: {done.stderr.strip()}")


def _wait_ready(stack: Stack, supervisor: subprocess.Popen[bytes]) -> None:
    """Until nginx, the website, every Rasa server and every action server answer."""
    checks = [f"{stack.url}/healthz"]
    checks += [f"http://127.0.0.1:{port}/" for port in stack.rasa_ports]
    checks += [f"http://127.0.0.1:{port}/health" for port in stack.action_ports]
    deadline = time.monotonic() + READY_SECONDS
    while checks:
        if supervisor.poll() is not None:
            raise StackError(f"the servers stopped; see {stack.dir / 'servers.log'}")
        if time.monotonic() > deadline:
            raise StackError(f"not ready in {READY_SECONDS} s: {', '.join(checks)}")
        try:
            if requests.get(checks[0], timeout=5).status_code == 200:
                checks.pop(0)
                continue
        except requests.RequestException:
            pass
        time.sleep(1)


def _stop_process(pid: int, program: str, seconds: float) -> None:
    """Stop `pid` if it still is `program` (after a reboot the number may be another's)."""
    try:
        if program not in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
            return
        os.kill(pid, signal.SIGTERM)
    except (FileNotFoundError, ProcessLookupError):
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:  # our own child (the supervisor): reap it, or it stays a zombie
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
