#!/usr/bin/env bash
# Usage: ensure-debian-packages.sh COMMAND:PACKAGE...   Installs PACKAGE with apt-get when COMMAND is missing.
# Used by run.sh (chromium, for image exports) and test.sh (chromium, chromium-driver, npm).
set -euo pipefail
missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null || missing+=(${pair#*:})
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
