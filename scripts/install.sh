#!/usr/bin/env bash
# Usage: install.sh [dev]   Makes .venv (if missing) and installs this checkout into it, editable:
# `pip install -e .` (the `alliance` command and the run-time pins of pyproject.toml), or with `dev`
# `pip install -e ".[dev]"` (what the tests need too). Used by run.sh and test.sh. It installs again
# only when pyproject.toml changed since the last install (or the command is missing), so a start
# needs no network once installed; the code itself is never copied (editable), so edits apply at once.
set -euo pipefail
cd "$(dirname "$0")/.."
extra=${1:-}
stamp=.venv/.installed${extra:+-$extra}
[ -x .venv/bin/python ] || "${PYTHON:-python3}" -m venv .venv
if [ ! -e "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ ! -x .venv/bin/alliance ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra:+[$extra]}"
  touch "$stamp"
fi
