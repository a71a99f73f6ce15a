#!/usr/bin/env bash
# Usage: ensure-debian-packages.sh WHAT:PACKAGE...   Installs PACKAGE with apt-get when WHAT is missing:
# WHAT is a command, or an absolute path to a file (for packages without a command, such as fonts).
# Used by run.sh (chromium and the slides' font, for image exports) and test.sh (those, chromium-driver, npm).
set -euo pipefail
missing=()
for pair in "$@"; do
  what=${pair%%:*}
  if [[ $what == /* ]]; then [ -e "$what" ]; else command -v "$what" >/dev/null; fi || missing+=(${pair#*:})
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
