#!/usr/bin/env bash
# Install everything the tests need (this checkout, editable, and the pip packages, into .venv;
# Debian's chromium, chromium-driver and npm when missing; axe-core from npm), then run the whole
# suite: lint, the type check (mypy, configured in pyproject.toml), unit tests, the data gate over
# events/, exports, and the user journeys in real headless Chromium. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev  # this checkout, editable, with the test packages (pyproject.toml's dev extra)
bash scripts/ensure-debian-packages.sh chromium:chromium chromedriver:chromium-driver npm:"nodejs npm" \
  /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf:fonts-liberation
npm ci --no-audit --no-fund --loglevel=error  # axe-core, for the accessibility audit
.venv/bin/python -m ruff check .
.venv/bin/python -m mypy  # alliance/, components/ and app.py, as [tool.mypy] in pyproject.toml says
.venv/bin/python -m pytest "$@"
