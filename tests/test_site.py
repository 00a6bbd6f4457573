"""The clinic website over real HTTP: the page in English and Spanish, its security
headers, its files, its errors."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import yaml
from python_server import python_server

from bot.core.clinic import hours_in, load_clinic
from bot.settings import ROOT, Settings
from bot.web.program_texts import HERO_ROWS, blocks, comparison_rows, program_texts
from bot.web.site import VENDOR_FILES, chat_texts, rich, site_texts

pytestmark = pytest.mark.e2e  # real servers or processes (tests/conftest.py)


class Links(HTMLParser):
    """Collects what a page loads (scripts, styles, icons), the chat widget's settings and
    texts, the page's language and its links to the page in other languages."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.chat: dict[str, str | None] = {}
        self.lang: str | None = None
        self.language_links: list[dict[str, str | None]] = []
        self.json_blocks: dict[str, str] = {}
        self._in_json: str | None = None
        self._link: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
            if "data-socket-url" in attributes:
                self.chat = attributes
        if tag == "script" and attributes.get("type") == "application/json":
            self._in_json = attributes.get("id") or ""
            self.json_blocks[self._in_json] = ""
        if tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"])
        if tag == "a" and attributes.get("hreflang"):
            self._link = {**attributes, "text": ""}
            self.language_links.append(self._link)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json = None
        if tag == "a":
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._in_json is not None:
            self.json_blocks[self._in_json] += data
        if self._link is not None:
            self._link["text"] = (self._link["text"] or "") + data.strip()


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


# --- the page in Spanish ---

ES_RESPONSES = ROOT / "locales" / "es.yml"


def spanish_responses() -> dict[str, list[dict]]:
    if not ES_RESPONSES.is_file():
        pytest.fail("locales/es.yml is missing: the Spanish page reads its answers there")
    return yaml.safe_load(ES_RESPONSES.read_text(encoding="utf-8"))["responses"]


class Text(HTMLParser):
    """A page's text as a reader gets it: no tags, no scripts, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The page's visible text, whitespace collapsed (a tag between words is a space)."""
    text = Text()
    text.feed(page.replace("<", " <"))
    return " ".join(" ".join(text.parts).split())


def strings(tree: object) -> list[str]:
    """Every text in a tree of site_texts.yml / chat_texts.yml."""
    if isinstance(tree, dict):
        return [text for value in tree.values() for text in strings(value)]
    if isinstance(tree, list):
        return [text for value in tree for text in strings(value)]
    return [str(tree)]


def shape(tree: object) -> object:
    """A text tree's keys and list lengths, without the words."""
    if isinstance(tree, dict):
        return {key: shape(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [shape(value) for value in tree]
    return "text"


@pytest.mark.parametrize("name", ["site_texts", "chat_texts"])
def test_every_language_has_every_text(name):
    texts = {"site_texts": site_texts, "chat_texts": chat_texts}[name]()
    assert set(texts) == {"en", "es"}
    assert shape(texts["es"]) == shape(texts["en"])
    assert all(text.strip() for language in texts.values() for text in strings(language))


def test_site_texts_are_escaped_and_only_bold_becomes_markup():
    assert rich("**Call 911.** A <b>tag</b> & {name}", name="<i>Ana</i>") == (
        "<strong>Call 911.</strong> A &lt;b&gt;tag&lt;/b&gt; &amp; &lt;i&gt;Ana&lt;/i&gt;")


@pytest.mark.parametrize(("path", "lang", "other", "other_lang", "other_name"), [
    ("/", "en", "/es/", "es", "Español"),
    ("/es/", "es", "/", "en", "English"),
])
def test_each_page_says_its_language_and_links_to_the_other(website, path, lang, other,
                                                             other_lang, other_name):
    response = requests.get(f"{website.url}{path}", timeout=10)
    assert response.status_code == 200
    page = parse(response.text)
    assert page.lang == lang
    assert [(link["href"], link["hreflang"], link["lang"], link["text"])
            for link in page.language_links] == [(other, other_lang, other_lang, other_name)]
    assert page.chat["data-language"] == lang


def test_es_without_the_slash_is_the_spanish_page(website):
    response = requests.get(f"{website.url}/es", timeout=10, allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == "/es/"
    followed = requests.get(f"{website.url}/es", timeout=10)
    assert followed.status_code == 200 and parse(followed.text).lang == "es"


def test_the_spanish_page_shows_the_assistants_spanish_answers(website):
    """The cards and the comparison are locales/es.yml's answers, as the English ones are
    faq.yml's: the same keys, read the same way."""
    responses = spanish_responses()
    text = visible_text(requests.get(f"{website.url}/es/", timeout=10).text)
    for name in ("utter_faq/what_is_work_conditioning", "utter_faq/what_is_work_hardening"):
        for block in blocks(responses[name][0]["text"]):
            assert block.text in text
            assert all(point in text for point in block.points)
    rows = comparison_rows(responses["utter_faq/difference"][0]["text"])
    assert len(rows) == len(program_texts(ROOT).comparison)
    for label, value in rows:
        assert f"{label} {value}" in text  # <th>label</th><td>value</td>, in Spanish
    english = program_texts(ROOT)
    assert not {label for label, _ in english.comparison} & {label for label, _ in rows}
    spanish = program_texts(ROOT, "es")
    assert spanish.comparison == rows
    assert [row for row in rows if row in spanish.key_facts] == list(spanish.key_facts)
    assert len(spanish.key_facts) == len(HERO_ROWS)
    for card in english.cards:  # no English answer is left on the Spanish page
        assert not any(block.text in text for block in card.blocks)


def test_every_page_text_is_in_the_pages_language(website):
    settings = Settings.from_env()
    pages = {language: visible_text(requests.get(f"{website.url}{path}", timeout=10).text)
             for language, path in (("en", "/"), ("es", "/es/"))}
    for language, other in (("en", "es"), ("es", "en")):
        own = site_texts()[language]
        for key in ("skip_link", "footer_disclaimer", "footer_emergency"):
            assert own[key] in pages[language]
        for text in strings(own["home"]):
            if "{" not in text and "**" not in text:
                assert text.strip() in pages[language], text
        assert f"{settings.retention_days}" in pages[language]
        theirs = [text for text in strings(site_texts()[other]["home"])
                  if len(text) > 20 and "{" not in text and text not in strings(own["home"])]
        assert theirs and not [text for text in theirs if text in pages[language]]
    assert "Llame al 911 ahora" in pages["es"]
    assert "988" in pages["es"] and "AYUDA" in pages["es"]
    assert f"Lo guardamos hasta {settings.retention_days} días" in pages["es"]


def test_the_spanish_page_gives_the_clinic_from_clinic_yml_with_hours_in_spanish(website):
    clinic = load_clinic(Settings.from_env().clinic_file)
    response = requests.get(f"{website.url}/es/", timeout=10)
    text = visible_text(response.text)
    hours = hours_in(clinic, "es")
    assert hours.startswith("lunes")  # clinic.yml opens Monday to Friday
    for value in (clinic.name, clinic.phone, clinic.email, clinic.address, clinic.website):
        assert value in text
    assert f"Horario {hours}" in text  # the contact list: <dt>Horario</dt><dd>…</dd>
    assert f"Horario: {hours}" in text  # the footer
    assert clinic.hours not in text
    chat = parse(response.text).chat
    assert (chat["data-clinic"], chat["data-phone"]) == (clinic.name, clinic.phone)


@pytest.mark.parametrize("path", ["/", "/es/"])
def test_the_page_gives_the_widget_its_texts_in_every_language(website, path):
    page = parse(requests.get(f"{website.url}{path}", timeout=10).text)
    block = page.chat["data-texts"]
    assert json.loads(page.json_blocks[block]) == chat_texts()


def test_the_spanish_404_page(website, settings):
    clinic = load_clinic(settings.clinic_file)
    response = requests.get(f"{website.url}/es/no-existe", timeout=10)
    assert response.status_code == 404
    assert parse(response.text).lang == "es"
    text = visible_text(response.text)
    assert "Página no encontrada" in text and hours_in(clinic, "es") in text
    assert 'href="/es/"' in response.text
    assert parse(requests.get(f"{website.url}/nope", timeout=10).text).lang == "en"


MARKUP_CLINIC = {
    "name": 'Clínica <script>alert("x")</script> & "Sol"',
    "phone": "(555) 010-4477",
    "email": "intake@clinic.example",
    "address": "1 <b>Main</b> St",
    "website": "https://clinic.example",
    "timezone": "America/Chicago",
    "opening_hours": {"monday": "07:00-18:00"},
}


def test_clinic_details_with_markup_stay_text_on_both_pages(tmp_path):
    from staff_web_fixtures import staff_site  # after pytest_plugins: assertions rewritten

    clinic_file = tmp_path / "clinic.yml"
    clinic_file.write_text(yaml.safe_dump(MARKUP_CLINIC, allow_unicode=True), encoding="utf-8")
    with staff_site(tmp_path, BOT_CLINIC_FILE=str(clinic_file)) as site:
        for path in ("/", "/es/", "/es/nada"):
            response = requests.get(f"{site.url}{path}", timeout=10)
            assert "<script>alert" not in response.text and "<b>Main</b>" not in response.text
            assert "&lt;script&gt;alert" in response.text and "1 &lt;b&gt;Main&lt;/b&gt; St" in \
                response.text
            if path != "/es/nada":
                page = parse(response.text)
                assert page.chat["data-clinic"] == MARKUP_CLINIC["name"]  # the attribute, decoded
                block = response.text.split('id="chat-texts">', 1)[1].split("</script>", 1)[0]
                assert "<" not in block  # no way out of the JSON block
                assert json.loads(block) == chat_texts()
        assert "lunes, de 7:00 a. m. a 6:00 p. m." in visible_text(
            requests.get(f"{site.url}/es/", timeout=10).text)
