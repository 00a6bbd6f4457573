"""Screenshots of the clinic website with a short real chat, for the README.

Starts `python -m bot run` on free ports with a throw-away database, then, in the same
headless Chromium the browser tests use, opens the chat, accepts the notice and talks to
the bot: on a desktop window it asks what work conditioning is; on a phone it taps
"Which one is for me?".

    python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # test support
from browser.chromium import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, PHONE


def start_chat(page: Page, url: str) -> None:
    """Open the widget, accept the notice and wait for the bot's greeting."""
    page.goto(url)
    page.get_by_role("button", name="Chat with our assistant").click()
    page.get_by_role("button", name="I understand, start the chat").click()
    expect(page.locator(".chat-replies")).to_be_visible()


def wait_for_reply(page: Page, replies_before: int) -> None:
    """Wait until the bot has answered and its typing indicator is gone."""
    expect(page.locator(".chat-msg--bot")).not_to_have_count(replies_before)
    expect(page.locator("#chat-typing")).to_be_hidden()


def desktop(page: Page, url: str, path: Path) -> None:
    """The landing page with the chat open beside it, after one question."""
    start_chat(page, url)
    page.get_by_label("Your message").fill("What is work conditioning?")
    page.get_by_label("Your message").press("Enter")
    wait_for_reply(page, 1)
    page.screenshot(path=path)


def phone(page: Page, url: str, path: Path) -> None:
    """The chat filling a phone's screen, after tapping a suggested reply."""
    start_chat(page, url)
    page.get_by_role("button", name="Which one is for me?").click()
    wait_for_reply(page, 1)
    page.screenshot(path=path)


def shoot(url: str, out: Path) -> list[Path]:
    """Take both screenshots of the site at `url` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    shots = [(desktop, DESKTOP, out / "site-desktop.png"), (phone, PHONE, out / "site-phone.png")]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for take, viewport, path in shots:
                context = browser.new_context(viewport=viewport, reduced_motion="reduce")
                context.set_default_timeout(20_000)
                take(context.new_page(), url, path)
                context.close()
        finally:
            browser.close()
    return [path for _, _, path in shots]


def main() -> int:
    """Start the bot on free ports, write the screenshots, stop the bot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    out = parser.parse_args().out

    from launcher import launch

    from bot.runtime.training import ensure_model

    ensure_model()
    with tempfile.TemporaryDirectory() as tmp:
        bot = launch(Path(tmp))
        try:
            bot.wait_until_up()
            for path in shoot(bot.web_url, out):
                print(f"wrote {path}")
        finally:
            bot.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
