"""How the project starts Chromium: Debian's build, headless, with nothing phoning home.

The browser tests and `scripts/screenshots.py` share these, so that a screenshot shows
what the tests saw, at the same window sizes. Playwright never downloads a browser of
its own here: `scripts/install_packages.sh` installs Debian's.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 740}
