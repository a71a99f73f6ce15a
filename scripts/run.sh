#!/usr/bin/env bash
# Install what the dashboard needs (pip packages into .venv; Debian's chromium, for PNG/SVG/PDF
# exports, when missing) and serve it on http://127.0.0.1:8050/.
# Extra arguments go to app.py: --host, --port, --debug, --events DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
bash scripts/ensure-debian-packages.sh chromium:chromium \
  /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf:fonts-liberation
exec .venv/bin/python app.py "$@"
