#!/usr/bin/env bash
# Install everything the tests need (pip packages, Debian's chromium, chromium-driver and npm, and
# axe-core from npm), then run the whole suite: lint, unit tests, the data gate over
# events/, and the user journeys in real headless Chromium. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
missing=""
command -v chromium >/dev/null || missing="$missing chromium"
command -v chromedriver >/dev/null || missing="$missing chromium-driver"
command -v npm >/dev/null || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi
npm ci --no-audit --no-fund --loglevel=error  # axe-core, for the accessibility audit
.venv/bin/python -m ruff check .
.venv/bin/python -m pytest "$@"
