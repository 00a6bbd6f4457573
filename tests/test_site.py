"""The clinic website over real HTTP: the page, its security headers, its files, its errors."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from python_server import python_server

from bot.core.clinic import load_clinic
from bot.settings import ROOT, Settings
from bot.web.program_texts import program_texts
from bot.web.site import VENDOR_FILES

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)


class Links(HTMLParser):
    """Collects what a page loads (scripts, styles, icons) and the chat widget's settings."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.chat: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
            if "data-socket-url" in attributes:
                self.chat = attributes
        if tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])


def parse(page: str) -> Links:
    links = Links()
    links.feed(page)
    return links


def csp(response: requests.Response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.from_env()


def test_home_page_shows_the_clinic_from_clinic_yml(website, settings):
    clinic = load_clinic(settings.clinic_file)
    response = requests.get(f"{website.url}/", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    text = html.unescape(response.text)
    for value in (clinic.name, clinic.phone, clinic.email, clinic.address, clinic.hours,
                  clinic.website):
        assert value in text
    assert "call 911" in text.lower()
    assert "work conditioning" in text.lower() and "work hardening" in text.lower()
    programs = program_texts(ROOT)
    for card in programs.cards:
        assert all(block.text in text for block in card.blocks)
    assert all(value in text for _, value in programs.comparison)
    assert f"We keep it for up to {settings.retention_days} days" in text
    chat = parse(response.text).chat
    assert chat["data-clinic"] == clinic.name
    assert chat["data-phone"] == clinic.phone
    assert chat["data-retention-days"] == str(settings.retention_days)


def test_the_widget_is_told_the_rasa_socket_on_the_page_host(running_bot):
    rasa_port = urlsplit(running_bot.rasa_url).port
    for host in ("127.0.0.1", "localhost"):
        response = requests.get(
            f"{running_bot.web_url}/", headers={"Host": f"{host}:8000"}, timeout=10
        )
        chat = parse(response.text).chat
        assert chat["data-socket-url"] == f"http://{host}:{rasa_port}"
        assert csp(response)["connect-src"] == (
            f"'self' http://{host}:{rasa_port} ws://{host}:{rasa_port}"
        )


def test_a_malformed_host_header_gets_400_not_an_error(website):
    response = requests.get(f"{website.url}/", headers={"Host": "a b;c"}, timeout=10)
    assert response.status_code == 400
    assert csp(response)["connect-src"] == "'self'"


@pytest.mark.parametrize(
    "path", ["/", "/static/site/site.css", "/vendor/socket.io.min.js", "/no-such-page"]
)
def test_every_response_carries_the_security_headers(website, path):
    response = requests.get(f"{website.url}{path}", timeout=10)
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_everything_the_page_loads_is_served_from_the_site(website):
    page = requests.get(f"{website.url}/", timeout=10).text
    assets = parse(page).assets
    assert "/vendor/socket.io.min.js" in assets
    assert {"/static/site/site.css", "/static/site/chat.css", "/static/site/chat.js"} <= set(assets)
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        response = requests.get(f"{website.url}{asset}", timeout=10)
        assert response.status_code == 200, asset
        assert response.content


def test_the_vendor_script_is_the_locked_socket_io_client(website):
    response = requests.get(f"{website.url}/vendor/socket.io.min.js", timeout=10)
    assert response.status_code == 200
    assert "javascript" in response.headers["Content-Type"]
    installed = ROOT / "node_modules" / VENDOR_FILES["socket.io.min.js"]
    assert response.content == installed.read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page",
        "/vendor/unknown.js",
        "/vendor/..%2Fpackage.json",
        "/static/site/missing.css",
        "/static/../settings.py",
    ],
)
def test_unknown_paths_get_the_sites_404_page(website, settings, path):
    response = requests.get(f"{website.url}{path}", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    text = html.unescape(response.text)
    assert "Page not found" in text
    assert load_clinic(settings.clinic_file).phone in text
    assert 'href="/"' in response.text
    for leak in ("Traceback", "File \"", "sanic", str(ROOT)):
        assert leak not in text


def test_health_check(website):
    response = requests.get(f"{website.url}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


SERVE_WITHOUT_NODE_MODULES = """
import dataclasses, sys
from pathlib import Path
from bot.settings import Settings
from bot.web.app import serve_web

settings = Settings.from_env()
serve_web(dataclasses.replace(settings, web_port=int(sys.argv[1]), root=Path(sys.argv[2])))
"""


def test_a_missing_vendor_file_is_a_404_and_the_page_still_works(tmp_path: Path):
    with python_server(SERVE_WITHOUT_NODE_MODULES, str(tmp_path)) as url:
        assert requests.get(f"{url}/vendor/socket.io.min.js", timeout=10).status_code == 404
        assert requests.get(f"{url}/", timeout=10).status_code == 200
