#!/usr/bin/env bash
# Install the Debian packages the tests and the scale-out stack use, if missing:
#   chromium, chromium-driver  the browser tests (Playwright drives /usr/bin/chromium; it
#                              never downloads a browser of its own)
#   postgresql                 the PostgreSQL tests and the scale-out stack
#   redis-server, nginx-light  the lock-store tests and the scale-out stack
# Usage: scripts/install_packages.sh [PACKAGE...]   (default: all of them)
set -euo pipefail
declare -A marks=(
  [chromium]=/usr/bin/chromium [chromium-driver]=/usr/bin/chromedriver
  [postgresql]=/usr/lib/postgresql [redis-server]=/usr/bin/redis-server
  [nginx-light]=/usr/sbin/nginx
)
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium chromium-driver postgresql redis-server nginx-light)
missing=()
for package in "${wanted[@]}"; do
  mark=${marks[$package]:?"unknown package: $package"}
  [ -e "$mark" ] || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed ${missing[*]}"
