#!/usr/bin/env bash
# What the browser tests need besides Python packages:
# - Debian's Chromium at /usr/bin/chromium (Playwright's own browser downloads are not reachable
#   here; never run `playwright install`);
# - axe-core (the accessibility rules), from the npm registry into tests/.tools/ (git-ignored),
#   pinned, so the tests inject a known version and never fetch anything while they run.
# Each is installed when missing and we are root; otherwise the script says what to do. In CI
# (CI=true) a missing tool fails the test that needs it; elsewhere that test is skipped.
set -euo pipefail
cd "$(dirname "$0")"
AXE_VERSION=4.14.1

as_root_apt() {  # apt-get install PACKAGES, when we are root and apt-get exists
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    return 0
  fi
  return 1
}

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  as_root_apt chromium ||
    echo "chromium is not installed: run 'sudo apt-get install chromium' for the browser tests." >&2
fi

if ! grep -qs "\"version\": \"$AXE_VERSION\"" .tools/node_modules/axe-core/package.json; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Debian's npm for axe-core..."
    as_root_apt npm || true
  fi
  if command -v npm >/dev/null 2>&1; then
    mkdir -p .tools
    npm install --prefix .tools --no-save --no-audit --no-fund --no-package-lock --silent \
      "axe-core@$AXE_VERSION" || echo "axe-core could not be installed from the npm registry." >&2
  else
    echo "npm is not installed: run 'sudo apt-get install npm' for the accessibility tests." >&2
  fi
fi
exit 0
