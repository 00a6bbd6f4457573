"""The deployment files a clinic uses elsewhere (deploy/compose, deploy/kubernetes).

No Docker engine or Kubernetes cluster runs here, so these files are checked, not run:
their content against what the servers read (unit), and with the real validators
(e2e): `docker compose config` (Compose v2), kubernetes-validate against Kubernetes'
schemas, hadolint, and Debian's nginx, which also runs the front config with stand-in
servers. `scripts/deploy_tools.sh` (part of `make packages`, which `make test` runs)
installs the validators into var/deploy-tools; without them these tests fail.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import ROOT

COMPOSE_DIR = ROOT / "deploy" / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
NGINX_CONF = COMPOSE_DIR / "nginx.conf"
DOCKERFILE = COMPOSE_DIR / "Dockerfile"
K8S_DIR = ROOT / "deploy" / "kubernetes"
SECRET_EXAMPLE = K8S_DIR / "secret.example.yaml"
DOCS = ROOT / "docs" / "deployment.md"
TOOLS = ROOT / "var" / "deploy-tools"
COMPOSE_PLUGIN = TOOLS / "cli-plugins" / "docker-compose"
KUBERNETES_VALIDATE = TOOLS / "venv" / "bin" / "kubernetes-validate"
HADOLINT = TOOLS / "venv" / "bin" / "hadolint"
KUBERNETES_VERSIONS = ("1.29.0", "1.37.0")  # one clusters still run, and the newest shipped

APP_SERVICES = {"migrate", "rasa", "actions", "web"}
RASA_USERS = {"migrate", "rasa", "web"}  # given the database, Redis and the API token
OFFICIAL_IMAGES = {"postgres": "postgres:15", "redis": "redis:7", "nginx": "nginx:1.28"}


def _tool(path: Path, name: str) -> Path:
    """A validator, which must be installed: a check that silently skipped would prove nothing."""
    if not path.exists():
        pytest.fail(f"{name} is not installed: run scripts/deploy_tools.sh")
    return path


# --- Compose ------------------------------------------------------------------------------


def _compose_raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())  # SafeLoader resolves the `<<` merges


def test_compose_runs_every_part_from_the_documented_images():
    services = _compose_raw()["services"]
    assert set(services) == APP_SERVICES | set(OFFICIAL_IMAGES)
    for name, image in OFFICIAL_IMAGES.items():
        assert services[name]["image"] == image
    for name in APP_SERVICES:  # one image of ours, built from the Dockerfile beside it
        assert services[name]["image"] == "${BOT_IMAGE:-rehab-assistant:latest}"
        assert services[name]["build"] == {"context": "../..",
                                           "dockerfile": "deploy/compose/Dockerfile"}


def test_compose_commands_are_the_cli_s_own():
    """A renamed command or flag would leave a container exiting at start."""
    services = _compose_raw()["services"]
    commands = {name: services[name]["command"] for name in APP_SERVICES}
    assert commands == {
        "migrate": ["python", "-m", "bot", "setup", "--readers-only"],
        "rasa": ["python", "-m", "bot", "serve-rasa", "--model", "models/current.tar.gz"],
        "actions": ["python", "-m", "bot", "serve-actions"],
        "web": ["python", "-m", "bot", "serve-web"],
    }
    from bot.runtime.cli import main

    for command in commands.values():  # argparse exits 0 on --help only for a known command
        with pytest.raises(SystemExit) as leaving, contextlib.redirect_stdout(io.StringIO()):
            main([*command[3:], "--help"])
        assert leaving.value.code == 0


def test_every_server_of_ours_reaches_the_shared_stores_and_each_other():
    services = _compose_raw()["services"]
    for name in RASA_USERS:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://bot:${POSTGRES_PASSWORD:?")
        assert env["DATABASE_URL"].endswith("@postgres:5432/bot")
        assert env["BOT_REDIS_URL"] == "redis://redis:6379/0"
        assert env["BOT_API_TOKEN"].startswith("${BOT_API_TOKEN:?")
        assert env["BOT_TRUSTED_PROXIES"] == "${BOT_TRUSTED_PROXIES:-1}"  # nginx in front
        assert env["BOT_HOST"] == "0.0.0.0"
    assert services["rasa"]["environment"]["BOT_ACTION_URL"] == "http://actions:5055/webhook"
    assert services["actions"]["environment"]["SANIC_HOST"] == "0.0.0.0"
    web = services["web"]["environment"]
    assert web["BOT_BACKGROUND_WORK"] == "on"
    assert web["BOT_RASA_URL"] == "http://rasa:5005"
    assert web["BOT_SOCKET_URL"] == "${BOT_PUBLIC_URL}"  # the chat goes through nginx


def test_compose_waits_for_health_and_keeps_the_website_single():
    services = _compose_raw()["services"]
    for name in APP_SERVICES - {"migrate"} | {"postgres", "redis"}:
        assert services[name]["healthcheck"]["test"][0] == "CMD", name
    assert services["rasa"]["healthcheck"]["start_period"] == "180s"  # the model loads first
    assert services["rasa"]["deploy"]["replicas"] == "${RASA_REPLICAS:-2}"
    assert services["actions"]["deploy"]["replicas"] == "${ACTION_REPLICAS:-2}"
    assert "replicas" not in services["web"].get("deploy", {})  # the background work: once
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"}
    assert services["nginx"]["depends_on"] == {"rasa": {"condition": "service_healthy"},
                                               "web": {"condition": "service_healthy"}}


def _env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines()
             if line.strip() and not line.startswith("#"))
    return {key: value for key, value in pairs}


def test_the_env_example_leaves_every_secret_to_fill_in():
    """A copied example must not start the assistant with a secret everyone knows."""
    example = _env_file(COMPOSE_DIR / ".env.example")
    assert example == {"POSTGRES_PASSWORD": "", "BOT_API_TOKEN": "", "BOT_SECRET_KEY": "",
                       "BOT_PUBLIC_URL": ""}
    text = COMPOSE_FILE.read_text()
    for name in ("POSTGRES_PASSWORD", "BOT_API_TOKEN", "BOT_SECRET_KEY", "BOT_PUBLIC_URL"):
        assert f"${{{name}:?set {name} in .env}}" in text  # empty stops docker compose


def _secret_values(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    values = {"POSTGRES_PASSWORD": secrets.token_urlsafe(16),
              "BOT_API_TOKEN": secrets.token_urlsafe(16),
              "BOT_SECRET_KEY": secrets.token_urlsafe(16),
              "BOT_PUBLIC_URL": "https://assistant.clinic.example"}
    path = tmp_path / "test.env"
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return path, values


def _compose(tmp_path: Path, *args: str, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    """`docker compose ARGS` with the Compose v2 plugin; the bare plugin without a docker CLI.

    The environment is emptied so that no BOT_* of the caller's leaks into the result.
    """
    plugin = _tool(COMPOSE_PLUGIN, "Docker Compose v2")
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    docker = shutil.which("docker")
    if docker:
        config = tmp_path / "docker-config"
        (config / "cli-plugins").mkdir(parents=True, exist_ok=True)
        link = config / "cli-plugins" / "docker-compose"
        if not link.exists():
            link.symlink_to(plugin)
        command = [docker, "compose"]
        base["DOCKER_CONFIG"] = str(config)
    else:
        command = [str(plugin)]
    return subprocess.run([*command, "-f", str(COMPOSE_FILE), *args], capture_output=True,
                          text=True, timeout=120, env={**base, **(env or {})}, check=False)


@pytest.mark.e2e
def test_docker_compose_config_resolves_every_service(tmp_path):
    env_file, values = _secret_values(tmp_path)
    result = _compose(tmp_path, "--env-file", str(env_file), "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    project = json.loads(result.stdout)
    services = project["services"]
    assert set(services) == APP_SERVICES | set(OFFICIAL_IMAGES)
    assert {services[name]["image"] for name in APP_SERVICES} == {"rehab-assistant:latest"}
    assert {name: services[name]["image"] for name in OFFICIAL_IMAGES} == OFFICIAL_IMAGES
    database = f"postgresql://bot:{values['POSTGRES_PASSWORD']}@postgres:5432/bot"
    for name in RASA_USERS:
        env = services[name]["environment"]
        assert env["DATABASE_URL"] == database
        assert env["BOT_REDIS_URL"] == "redis://redis:6379/0"
        assert env["BOT_API_TOKEN"] == values["BOT_API_TOKEN"]
        assert env["BOT_CORS_ORIGINS"] == "https://assistant.clinic.example"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == values["POSTGRES_PASSWORD"]
    assert services["rasa"]["deploy"]["replicas"] == 2
    assert services["actions"]["deploy"]["replicas"] == 2
    assert services["nginx"]["ports"][0]["published"] == "8080"
    assert services["nginx"]["volumes"][0]["source"] == str(NGINX_CONF)
    assert Path(services["rasa"]["build"]["context"]) == ROOT


@pytest.mark.e2e
def test_docker_compose_takes_replicas_and_port_from_the_env_file(tmp_path):
    env_file, _ = _secret_values(tmp_path)
    with env_file.open("a") as extra:
        extra.write("RASA_REPLICAS=3\nACTION_REPLICAS=4\nPUBLIC_PORT=9443\n")
    result = _compose(tmp_path, "--env-file", str(env_file), "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert (services["rasa"]["deploy"]["replicas"], services["actions"]["deploy"]["replicas"]) \
        == (3, 4)
    assert services["nginx"]["ports"][0]["published"] == "9443"


@pytest.mark.e2e
def test_docker_compose_refuses_the_example_until_the_secrets_are_filled_in(tmp_path):
    result = _compose(tmp_path, "--env-file", str(COMPOSE_DIR / ".env.example"), "config")
    assert result.returncode != 0
    assert re.search(r"set (POSTGRES_PASSWORD|BOT_API_TOKEN|BOT_SECRET_KEY|BOT_PUBLIC_URL) "
                     r"in \.env", result.stderr), result.stderr


# --- The image ------------------------------------------------------------------------------


def _stages() -> list[str]:
    return re.findall(r"^FROM (\S+)", DOCKERFILE.read_text(), flags=re.MULTILINE)


def test_the_image_runs_python_3_11_with_the_exact_lock():
    text = DOCKERFILE.read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in text
    assert _stages() == ["node:20-bookworm-slim", "${PYTHON_IMAGE}", "${PYTHON_IMAGE}"]
    assert "rasa/rasa" not in "".join(_stages())  # Python 3.10 inside: docs/deployment.md
    assert "pip install --no-deps --ignore-requires-python -r requirements/lock.txt" in text
    lock = (ROOT / "requirements" / "lock.txt").read_text().splitlines()
    assert {"rasa==3.6.21", "rasa-sdk==3.6.2"} <= set(lock)
    assert text.count("PYTHONDONTWRITEBYTECODE=1") == 2  # the source tree as copied in
    assert re.search(r"^USER 10001:10001$", text, flags=re.MULTILINE)
    assert "npm ci --no-audit --no-fund --ignore-scripts" in text


def test_the_image_names_the_model_it_trained():
    """The build links models/current.tar.gz with this code: it must name a real model."""
    snippet = re.search(r"python -c '([^']+)'", DOCKERFILE.read_text())
    assert snippet is not None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(snippet.group(1), {})  # the same code the build runs, on this checkout
    assert re.fullmatch(r"rehab-[0-9a-f]{16}\.tar\.gz\n", printed.getvalue())
    assert "models/current.tar.gz" in DOCKERFILE.read_text()


def test_the_build_sends_no_secrets_and_no_local_state():
    """.env holds the secrets and var/ the conversations: neither may end up in an image."""
    rules = [line for line in (COMPOSE_DIR / "Dockerfile.dockerignore").read_text().splitlines()
             if line and not line.startswith("#")]
    assert rules[0] == "*"  # everything out, then only the sources back in
    included = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert included.isdisjoint({".env", ".venv", "var", "models", "node_modules", ".git"})
    copied = set(re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE.read_text(),
                            flags=re.MULTILINE))
    for line in copied:
        for source in line.split():
            assert source.rstrip("/") in included, source


@pytest.mark.e2e
def test_hadolint_finds_nothing_in_the_dockerfile():
    hadolint = _tool(HADOLINT, "hadolint")
    result = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# --- nginx ---------------------------------------------------------------------------------


@dataclass
class Directive:
    """One nginx directive: `name args...;` or `name args... { block }`."""

    name: str
    args: tuple[str, ...]
    block: list[Directive] = field(default_factory=list)

    def all(self, name: str, *args: str) -> list[Directive]:
        return [d for d in self.block if d.name == name and d.args[:len(args)] == args]

    def one(self, name: str, *args: str) -> Directive:
        found = self.all(name, *args)
        assert len(found) == 1, (name, args, found)
        return found[0]


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|#[^\n]*|[{};]|[^\s{};]+')


def parse_nginx(text: str) -> Directive:
    """The config as a tree; enough of nginx's grammar for our files (no includes)."""
    tokens = [t for t in _TOKEN.findall(text) if not t.startswith("#")]
    root = Directive("", ())
    stack, words = [root], []
    for token in tokens:
        if token == ";":
            stack[-1].block.append(Directive(words[0], tuple(words[1:])))
            words = []
        elif token == "{":
            stack[-1].block.append(Directive(words[0], tuple(words[1:])))
            stack.append(stack[-1].block[-1])
            words = []
        elif token == "}":
            stack.pop()
        else:
            words.append(token[1:-1] if token[:1] in "\"'" else token)
    assert len(stack) == 1 and not words, "unbalanced braces"
    return root


def _seconds(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smh]?)", value).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "s": 1, "m": 60, "h": 3600}[unit]


def test_nginx_sticks_the_chat_to_one_rasa_server_by_its_route():
    http = parse_nginx(NGINX_CONF.read_text()).one("http")
    route = http.one("map", "$arg_route", "$route_key")
    assert {(d.name, d.args) for d in route.block} == {("", ("$remote_addr",)),
                                                     ("default", ("$arg_route",))}
    sticky = http.one("upstream", "rasa_sticky")
    assert sticky.one("hash").args == ("$route_key", "consistent")
    assert sticky.one("server").args == ("rasa:5005", "resolve")  # every replica, re-resolved
    assert http.one("resolver").args[0] == "127.0.0.11"  # Docker's DNS
    chat = http.one("server").one("location", "/socket.io/")
    assert chat.one("proxy_pass").args == ("http://rasa_sticky",)
    assert _seconds(chat.one("proxy_read_timeout").args[0]) >= 3600
    assert chat.one("proxy_buffering").args == ("off",)
    headers = {d.args[0]: d.args[1] for d in http.all("proxy_set_header")}
    assert headers["Upgrade"] == "$http_upgrade"
    assert headers["Connection"] == "$connection_upgrade"
    upgrade = http.one("map", "$http_upgrade", "$connection_upgrade")
    assert ("default", ("upgrade",)) in {(d.name, d.args) for d in upgrade.block}
    assert http.one("proxy_http_version").args == ("1.1",)


def test_nginx_sends_the_api_round_robin_and_the_rest_to_the_website():
    http = parse_nginx(NGINX_CONF.read_text()).one("http")
    rasa = http.one("upstream", "rasa")
    assert not rasa.all("hash") and not rasa.all("ip_hash")  # round-robin
    assert http.one("upstream", "website").one("server").args == ("web:8000", "resolve")
    routes = {" ".join(d.args): d.one("proxy_pass").args[0]
              for d in http.one("server").all("location")}
    assert routes == {
        "/socket.io/": "http://rasa_sticky",
        "/webhooks/": "http://rasa",
        "/staff/live/": "http://website",
        "/": "http://website",
    }


def test_nginx_forwards_the_client_address_in_every_location():
    """Rate limits and logs need the patient's address (BOT_TRUSTED_PROXIES=1)."""
    http = parse_nginx(NGINX_CONF.read_text()).one("http")
    headers = {d.args[0]: d.args[1] for d in http.all("proxy_set_header")}
    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    # A location with a proxy_set_header of its own would drop all of these (nginx inherits
    # the directive only from a level that has none).
    for location in http.one("server").all("location"):
        assert not location.all("proxy_set_header"), location.args


def _for_debian_nginx(text: str, rasa: list[int], web: int, listen: int, work: Path) -> str:
    """The front config on Debian's nginx 1.22: fixed loopback servers instead of Docker
    names, as `resolve` in an upstream needs nginx 1.27.3, and files under `work`."""
    rasa_servers = "".join(f"server 127.0.0.1:{port}; " for port in rasa)
    text = text.replace("server rasa:5005 resolve;", rasa_servers)
    text = text.replace("server web:8000 resolve;", f"server 127.0.0.1:{web};")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    assert " resolve;" not in text
    temp = "".join(f"{kind}_temp_path {work / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return text.replace("http {", "http {\n" + temp, 1)


def _nginx() -> Path:
    return _tool(Path(shutil.which("nginx") or "/usr/sbin/nginx"), "nginx")


@pytest.mark.e2e
def test_nginx_accepts_the_front_config(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(_for_debian_nginx(NGINX_CONF.read_text(), [5005, 5006], 8000, 8080,
                                      tmp_path))
    result = subprocess.run([str(_nginx()), "-t", "-q", "-p", str(tmp_path), "-e", "stderr",
                             "-c", str(conf), "-g", f"pid {tmp_path / 'nginx.pid'};"],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr


class _StandIn(BaseHTTPRequestHandler):
    """A Rasa server or the website: says who it is and what it was sent."""

    def do_GET(self) -> None:
        body = json.dumps({"server": self.server.name,  # type: ignore[attr-defined]
                           "path": self.path,
                           "forwarded_for": self.headers.get("X-Forwarded-For"),
                           "connection": self.headers.get("Connection")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _stand_in(name: str) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    server.name = name  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def front(tmp_path: Path) -> Iterator[str]:
    """Debian's nginx running the front config, with two stand-in Rasa servers and a website."""
    nginx = _nginx()
    with _stand_in("rasa-1") as rasa_1, _stand_in("rasa-2") as rasa_2, \
            _stand_in("website") as website:
        port = _free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(_for_debian_nginx(NGINX_CONF.read_text(), [rasa_1, rasa_2], website,
                                          port, tmp_path))
        process = subprocess.Popen(
            [str(nginx), "-p", str(tmp_path), "-e", "stderr", "-c", str(conf),
             "-g", f"daemon off; pid {tmp_path / 'nginx.pid'};"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                    break
                assert process.poll() is None, process.stderr.read().decode()  # type: ignore
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def _get(url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


@pytest.mark.e2e
def test_nginx_keeps_each_chat_on_one_server_and_spreads_the_chats(front):
    servers_by_route = {}
    for number in range(24):
        route = secrets.token_hex(16)
        seen = {_get(f"{front}/socket.io/?EIO=4&transport=polling&route={route}")["server"]
                for _ in range(4)}
        assert len(seen) == 1, (route, seen)  # every long-poll of a page on the same server
        servers_by_route[number] = seen.pop()
    assert set(servers_by_route.values()) == {"rasa-1", "rasa-2"}
    without_route = {_get(f"{front}/socket.io/?EIO=4&transport=polling")["server"]
                     for _ in range(4)}
    assert len(without_route) == 1  # by the client's address instead
    upgrade = _get(f"{front}/socket.io/?EIO=4&transport=websocket&route=r1",
                   {"Upgrade": "websocket", "Connection": "Upgrade"})
    assert upgrade["connection"] == "upgrade"


@pytest.mark.e2e
def test_nginx_sends_each_path_where_the_docs_say(front):
    rasa_paths = ["/webhooks/rest/webhook", "/webhooks/twilio/webhook"]
    website_paths = ["/", "/healthz", "/static/site/chat.js", "/vendor/socket.io.min.js",
                     "/staff/", "/staff/conversations", "/staff/live/stream", "/models",
                     "/statusboard",
                     # Rasa's HTTP API is not published: the website (a 404) gets these
                     "/conversations/rest:me/tracker", "/model/parse", "/model", "/status",
                     "/version", "/domain"]
    for path in rasa_paths:
        assert _get(front + path)["server"] in {"rasa-1", "rasa-2"}, path
    for path in website_paths:
        assert _get(front + path)["server"] == "website", path
    spread = {_get(f"{front}/webhooks/rest/webhook")["server"] for _ in range(4)}
    assert spread == {"rasa-1", "rasa-2"}  # round-robin, no stickiness
    assert _get(front + "/")["forwarded_for"] == "127.0.0.1"
    # A client's own X-Forwarded-For stays in front; the address nginx saw comes last,
    # which is the one BOT_TRUSTED_PROXIES=1 reads.
    forwarded = _get(front + "/healthz", {"X-Forwarded-For": "203.0.113.9"})["forwarded_for"]
    assert forwarded == "203.0.113.9, 127.0.0.1"


# --- Kubernetes ----------------------------------------------------------------------------


def _kustomizations() -> list[Path]:
    return sorted(K8S_DIR.rglob("kustomization.yaml"))


def _manifest_files() -> list[Path]:
    return sorted(p for p in K8S_DIR.rglob("*.yaml") if p.name != "kustomization.yaml")


def _documents(paths: list[Path] | None = None) -> list[dict[str, Any]]:
    return [doc for path in (paths or _manifest_files())
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def _kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in _documents() if doc["kind"] == kind}


def _pod_specs() -> dict[str, dict[str, Any]]:
    workloads = {**_kind("Deployment"), **_kind("StatefulSet")}
    return {name: doc["spec"]["template"]["spec"] for name, doc in workloads.items()}


def test_every_manifest_is_in_a_kustomization_except_the_secret_example():
    """A file left out of the kustomization would never be applied, nor validated built."""
    listed = {kustomization.parent / resource
              for kustomization in _kustomizations()
              for resource in yaml.safe_load(kustomization.read_text())["resources"]}
    assert all(path.is_file() for path in listed)
    assert set(_manifest_files()) - listed == {SECRET_EXAMPLE}


def test_the_servers_run_as_many_as_asked():
    deployments = _kind("Deployment")
    assert {name: doc["spec"]["replicas"] for name, doc in deployments.items()} == {
        "rasa": 2, "actions": 2, "web": 1, "redis": 1}
    web = deployments["web"]["spec"]
    assert web["strategy"]["type"] == "Recreate"  # a rollout never runs two background workers
    env = {e["name"]: e["value"] for e in web["template"]["spec"]["containers"][0]["env"]}
    assert env["BOT_BACKGROUND_WORK"] == "on"
    commands = {name: spec["containers"][0].get("command")
                for name, spec in _pod_specs().items()}
    assert commands["rasa"] == ["python", "-m", "bot", "serve-rasa", "--model",
                                "models/current.tar.gz"]
    assert commands["actions"] == ["python", "-m", "bot", "serve-actions"]
    assert commands["web"] == ["python", "-m", "bot", "serve-web"]
    migrate = web["template"]["spec"]["initContainers"][0]
    assert migrate["command"] == ["python", "-m", "bot", "setup", "--readers-only"]


def test_every_container_has_readiness_liveness_and_resources():
    for name, spec in _pod_specs().items():
        for container in spec["containers"]:
            where = f"{name}/{container['name']}"
            assert "readinessProbe" in container and "livenessProbe" in container, where
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert {"cpu", "memory"} <= set(resources["limits"]), where
        assert spec["enableServiceLinks"] is False, name  # no RASA_PORT=tcp://... variables
        assert spec["securityContext"]["runAsNonRoot"] is True, name


def test_our_containers_write_only_to_their_own_volumes():
    """A read-only root: the servers write only to /tmp, HOME and var/, as the image sets."""
    text = DOCKERFILE.read_text()
    assert "HOME=/home/rehab" in text and "BOT_VAR_DIR=/app/var" in text
    for name in ("rasa", "actions", "web"):
        spec = _pod_specs()[name]
        volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert set(mounts) == {"/tmp", "/home/rehab", "/app/var"}, name
            assert set(mounts.values()) <= volumes, name


def test_a_rasa_server_gets_time_to_load_its_model():
    rasa = _pod_specs()["rasa"]["containers"][0]
    startup = rasa["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 120  # loading: 30-60 s
    assert rasa["resources"]["requests"]["memory"] == "1536Mi"  # about 1.2 GiB resident
    assert rasa["resources"]["limits"]["memory"] == "2Gi"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert rasa[probe]["httpGet"] == {"path": "/", "port": "http"}
    actions = _pod_specs()["actions"]["containers"][0]
    assert actions["readinessProbe"]["httpGet"]["path"] == "/health"
    web = _pod_specs()["web"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_the_autoscalers_scale_rasa_and_actions_on_cpu():
    autoscalers = _kind("HorizontalPodAutoscaler")
    assert set(autoscalers) == {"rasa", "actions"}
    for name, hpa in autoscalers.items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "name": name}
        assert hpa["spec"]["minReplicas"] == _kind("Deployment")[name]["spec"]["replicas"]
        (metric,) = hpa["spec"]["metrics"]
        assert metric["resource"]["name"] == "cpu"


def test_the_ingress_hashes_the_chat_on_its_route_and_routes_like_nginx():
    ingresses = _kind("Ingress")
    chat = ingresses["rehab-assistant-chat"]
    annotations = chat["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$arg_route"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    (path,) = chat["spec"]["rules"][0]["http"]["paths"]
    assert (path["path"], path["backend"]["service"]["name"]) == ("/socket.io", "rasa")
    paths = {p["path"]: p["backend"]["service"]["name"]
             for p in ingresses["rehab-assistant"]["spec"]["rules"][0]["http"]["paths"]}
    assert paths == {"/webhooks": "rasa", "/": "web"}  # Rasa's HTTP API stays inside


def test_the_servers_find_each_other_and_the_stores():
    config = _kind("ConfigMap")["rehab-assistant-config"]["data"]
    assert config["BOT_REDIS_URL"] == "redis://redis:6379/0"
    assert config["BOT_ACTION_URL"] == "http://actions:5055/webhook"
    assert config["BOT_RASA_URL"] == "http://rasa:5005"
    assert (config["BOT_HOST"], config["SANIC_HOST"]) == ("0.0.0.0", "0.0.0.0")
    assert config["BOT_TRUSTED_PROXIES"] == "1"
    specs = _pod_specs()
    for name in ("rasa", "web"):  # DATABASE_URL and the token come from the Secret
        sources = [next(iter(s.values()))["name"] for s in specs[name]["containers"][0]["envFrom"]]
        assert sources == ["rehab-assistant-config", "rehab-assistant-secrets"], name
    services = _kind("Service")
    assert {name: s["spec"]["ports"][0]["port"] for name, s in services.items()} == {
        "rasa": 5005, "actions": 5055, "web": 8000, "postgres": 5432, "redis": 6379}


def test_the_secret_example_holds_no_secret():
    (secret,) = _documents([SECRET_EXAMPLE])
    values = secret["stringData"]
    assert set(values) >= {"BOT_API_TOKEN", "BOT_SECRET_KEY", "DATABASE_URL", "POSTGRES_PASSWORD"}
    for key, value in values.items():
        assert value == "" or "REPLACE_ME" in value, key
        for word in re.findall(r"[A-Za-z0-9_\-]{16,}", value):  # nothing token-like
            assert word == "REPLACE_ME" or not re.search(r"\d", word), (key, word)
    assert values["DATABASE_URL"] == "postgresql://bot:REPLACE_ME@postgres:5432/bot"


def test_setting_names_in_the_deployment_files_are_the_servers_own():
    """A misspelt variable would be ignored without a word: each must be one we read."""
    read = (ROOT / "bot" / "settings.py").read_text()
    outside = {"SANIC_HOST"}  # read by rasa-sdk's Sanic, not by our settings
    compose = _compose_raw()
    names = {name for service in compose["services"].values() if "build" in service
             for name in service.get("environment", {})}
    names |= set(_kind("ConfigMap")["rehab-assistant-config"]["data"])
    names |= set(_documents([SECRET_EXAMPLE])[0]["stringData"]) - {"POSTGRES_PASSWORD"}
    for name in sorted(names - outside):
        assert f'"{name}"' in read, name


@pytest.mark.e2e
@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_kubernetes_validate_accepts_every_manifest(version):
    validate = _tool(KUBERNETES_VALIDATE, "kubernetes-validate")
    result = subprocess.run([str(validate), "--strict", "--quiet", "-k", version,
                             *map(str, _manifest_files())],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("kustomization", _kustomizations(),
                         ids=lambda path: path.parent.name)
def test_kustomize_builds_what_kubernetes_validate_accepts(kustomization, tmp_path):
    validate = _tool(KUBERNETES_VALIDATE, "kubernetes-validate")
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("no kubectl for `kubectl kustomize`")
    built = subprocess.run([kubectl, "kustomize", str(kustomization.parent)],
                           capture_output=True, text=True, timeout=120, check=False)
    assert built.returncode == 0, built.stderr
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(built.stdout)
    documents = [doc for doc in yaml.safe_load_all(built.stdout) if doc]
    assert all(doc["metadata"].get("namespace") == "rehab-assistant"
               for doc in documents if doc["kind"] != "Namespace")
    images = {container["image"] for doc in documents if doc["kind"] in {"Deployment",
                                                                         "StatefulSet"}
              for container in doc["spec"]["template"]["spec"]["containers"]}
    assert "rehab-assistant" not in images  # replaced by the registry's name and tag
    for version in KUBERNETES_VERSIONS:
        result = subprocess.run([str(validate), "--strict", "--quiet", "-k", version,
                                 str(rendered)],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


# --- The documentation ---------------------------------------------------------------------


def test_the_docs_name_every_file_and_image_and_what_was_not_run():
    docs = DOCS.read_text()
    own = [p for p in COMPOSE_DIR.iterdir() if p.name != ".env"]  # .env: a clinic's own
    for path in [*own, *_manifest_files(), *_kustomizations()]:
        assert str(path.relative_to(ROOT)) in docs, path
    for image in [*OFFICIAL_IMAGES.values(), "python:3.11-slim-bookworm",
                  "node:20-bookworm-slim", "rasa/rasa:3.6.21-full", "rasa/rasa-sdk:3.6.2"]:
        assert f"`{image}`" in docs, image
    assert "see README, Scale-out" in docs
