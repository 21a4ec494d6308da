#!/usr/bin/env bash
# Installs Debian's chromium for the viewer's end-to-end tests (driven by playwright-core),
# unless /usr/bin/chromium is already there. Needs root (or sudo) and the distribution's apt
# mirror; when neither is available the e2e tests print a SKIP line instead of failing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "chromium: not installed and not root (no sudo): the UI e2e tests will be skipped" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq || ! $SUDO apt-get install -y -qq chromium >/dev/null; then
  echo "chromium: apt-get could not install it: the UI e2e tests will be skipped" >&2
  exit 0
fi
echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
