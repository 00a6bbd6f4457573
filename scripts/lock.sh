#!/usr/bin/env bash
# Re-resolve requirements/rasa.in + app.in + dev.in into requirements/lock.txt in a throw-away
# venv, the way shared/notes/rasa-on-python-3.11.md measured: Rasa's dependencies first
# (ignoring its Python <3.11 marker), then Rasa itself without dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
pip="$tmp/venv/bin/pip"
"$pip" install --quiet --ignore-requires-python --prefer-binary \
  -r requirements/rasa.in -r requirements/app.in -r requirements/dev.in
"$pip" install --quiet --no-deps --ignore-requires-python rasa==3.6.21
{
  echo "# Pinned, resolved dependency set installed into .venv with --no-deps (regenerate: make lock)."
  echo "# Inputs: requirements/rasa.in, app.in, dev.in. Python 3.11."
  "$pip" freeze --all | grep -v -E '^pip=='
} > requirements/lock.txt
echo "wrote requirements/lock.txt ($(grep -cv '^#' requirements/lock.txt) packages)"
