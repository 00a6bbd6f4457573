"""Measure the staff pages over real HTTP on 10 000 seeded conversations (and take screenshots).

Seeds a throw-away SQLite database with the seeding script, starts the website as its own
process (`python -m bot serve-web`, as `make run` does), logs in, and prints p50/p95/max
response times of the conversation list (several filters, a text search, a far page), the
conversation detail page and the overview, each request in sequence.

    python scripts/bench_staff.py [--conversations 10000] [--rounds 20]
    python scripts/bench_staff.py --conversations 600 --screenshots docs/screenshots

With `--screenshots DIR` it also saves staff-list.png, staff-detail.png and
staff-overview.png from headless Chromium, for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the test support: launcher, browser

from sqlalchemy import select  # noqa: E402
from staff_web_fixtures import ADMIN, PASSWORD, StaffClient, StaffSite, staff_site  # noqa: E402

from bot.records.db import ConversationSummary, session_factory  # noqa: E402
from bot.web.staff import conversation_url  # noqa: E402
from scripts.seed_conversations import seed  # noqa: E402

TARGET_MS = 300
LIST_PAGES = (
    "/staff",
    "/staff?outcome=work_hardening",
    "/staff?flag=fallback&channel=twilio",
    "/staff?reviewed=no&sort=turns",
    "/staff?flag=abandoned&sort=-last",
    "/staff?q=insurance",
    "/staff?q=scared%20to%20go%20back&outcome=work_hardening",
    "/staff?page=150",
)


def timed(fetch: Callable[[], object]) -> float:
    """Milliseconds one request took."""
    started = time.perf_counter()
    fetch()
    return (time.perf_counter() - started) * 1000


def get_ok(client: StaffClient, path: str) -> None:
    """GET a staff page; stop the benchmark if it is not a 200."""
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")


def report(name: str, samples: list[float]) -> bool:
    """Print one line of figures; whether its p95 and max meet the target."""
    ordered = sorted(samples)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    print(f"{name:<48} n={len(ordered):<4} p50 {statistics.median(ordered):6.1f} ms   "
          f"p95 {p95:6.1f} ms   max {ordered[-1]:6.1f} ms")
    return ordered[-1] < TARGET_MS


def bench(site: StaffSite, rounds: int, details: int) -> bool:
    """Time each list page, detail pages and the overview; whether all met the target."""
    client = site.logged_in(ADMIN)
    with session_factory(site.engine)() as db:
        senders = list(db.scalars(select(ConversationSummary.sender_id)))
    picks = random.Random(1).sample(senders, min(details, len(senders)))
    ok = True
    everything: list[float] = []
    for path in LIST_PAGES:
        get_ok(client, path)  # warm
        samples = [timed(lambda path=path: get_ok(client, path)) for _ in range(rounds)]
        ok &= report(f"list {path}", samples)
        everything += samples
    report("list, all of the above", everything)
    detail = [timed(lambda s=s: get_ok(client, conversation_url(s))) for s in picks]
    ok &= report(f"detail ({len(picks)} different conversations)", detail)
    overview = [timed(lambda: get_ok(client, "/staff/overview")) for _ in range(rounds)]
    ok &= report("overview (last 30 days)", overview)
    export = [timed(lambda: get_ok(client, "/staff/export.csv?outcome=work_hardening"))
              for _ in range(3)]
    report("CSV export, all work-hardening conversations", export)
    return ok


def screenshots(site: StaffSite, folder: Path) -> None:
    """Log in with Chromium and save the list, a reviewed transcript and the overview."""
    from browser.chromium import CHROMIUM, CHROMIUM_FLAGS
    from playwright.sync_api import sync_playwright

    client = site.logged_in(ADMIN)
    listing = client.get("/staff?outcome=work_hardening").text
    detail = re.search(r'href="(/staff/conversations/[^"]+)"', listing).group(1)
    client.post_form(detail + "/review", {
        "reviewed": "yes", "tags": "follow-up, callback",
        "note": "Called back on Tuesday; initial evaluation booked."}, token_page=detail)
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{site.url}/staff/login")
        page.get_by_label("Email").fill(ADMIN)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{site.url}/staff")
        page.screenshot(path=folder / "staff-list.png")
        page.set_viewport_size({"width": 1280, "height": 1500})
        page.goto(site.url + detail)
        page.screenshot(path=folder / "staff-detail.png")
        page.goto(f"{site.url}/staff/overview")
        page.screenshot(path=folder / "staff-overview.png", full_page=True)
        browser.close()
    print(f"screenshots in {folder}")


def main() -> int:
    """Seed, start, measure; exit status 1 if a page type missed the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20, help="requests per list URL")
    parser.add_argument("--details", type=int, default=100, help="detail pages to fetch")
    parser.add_argument("--screenshots", type=Path, help="also save screenshots here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, staff_site(Path(tmp)) as site:
        started = time.perf_counter()
        events = seed(site.engine, args.conversations, seed=0,
                      now=dt.datetime.now(dt.UTC).timestamp())
        print(f"seeded {args.conversations} conversations ({events} events) in "
              f"{time.perf_counter() - started:.1f} s")
        site.add_staff(ADMIN)
        client = site.logged_in(ADMIN)
        first = timed(lambda: get_ok(client, "/staff"))
        print(f"first list view, indexing every event: {first / 1000:.1f} s "
              "(`python -m bot run` does this before it starts serving)")
        ok = bench(site, args.rounds, args.details)
        if args.screenshots:
            screenshots(site, args.screenshots)
    print(f"target: every request under {TARGET_MS} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
