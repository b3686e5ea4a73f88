#!/usr/bin/env bash
# Makes sure the headless Chromium of the live-dashboard end-to-end test is there
# (examples/live-dashboard/test/dashboard.e2e.test.ts drives a real browser and never
# downloads one). Uses $CHROMIUM_PATH, else /usr/bin/chromium; when it is missing and we are
# root on Debian/Ubuntu, installs the `chromium` package with apt-get (once: ~1–2 min);
# otherwise says how to install it and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=services/common.bash
. scripts/services/common.bash

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  echo "✔ Chromium at $chromium"
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "✘ CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file. Point it at a Chromium binary, or unset it to use /usr/bin/chromium." >&2
  exit 1
fi
svc_apt_install chromium
[ -x "$chromium" ] || { echo "✘ apt-get installed chromium, yet $chromium is missing. Set CHROMIUM_PATH to its binary." >&2; exit 1; }
echo "✔ Chromium installed at $chromium ($("$chromium" --version 2>/dev/null || echo 'version unknown'))"
