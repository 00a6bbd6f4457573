#!/usr/bin/env bash
# Install Debian's Chromium and ChromeDriver for the browser tests, if missing.
# Playwright drives /usr/bin/chromium; it never downloads a browser of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
/usr/bin/chromium --version
