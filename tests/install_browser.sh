#!/usr/bin/env bash
# The browser test drives Debian's Chromium at /usr/bin/chromium (Playwright's own browser
# downloads are not reachable here; never run `playwright install`). Install it when missing
# and we are root; otherwise say what to do.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser test..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium is not installed: run 'sudo apt-get install chromium' for the browser test." >&2
# In CI (CI=true) a missing browser is a failure (the test itself fails); elsewhere it is skipped.
exit 0
