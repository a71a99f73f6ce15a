#!/usr/bin/env bash
# Install what the dashboard needs (this checkout, editable, into .venv: the `alliance` command and its
# pip packages; Debian's chromium, for PNG/SVG/PDF exports, when missing) and serve it on
# http://127.0.0.1:8050/ with `alliance serve`. Extra arguments go to it: --host, --port, --debug,
# --events DIR, --log-level.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/ensure-debian-packages.sh chromium:chromium \
  /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf:fonts-liberation
exec .venv/bin/alliance serve "$@"
