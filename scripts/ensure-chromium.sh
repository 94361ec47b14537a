#!/usr/bin/env bash
# Installs Chromium from the Debian packages when it is missing: the browser tests drive the system's
# Chromium with playwright-core, which never downloads a browser of its own.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "› installing Chromium (Debian package)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
