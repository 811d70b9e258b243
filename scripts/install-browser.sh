#!/usr/bin/env bash
# The browser for test/node/docs-browser.test.ts: Debian's `chromium` (headless, driven by
# playwright-core, which downloads no browser of its own). Installed with apt-get when missing;
# where that is impossible (not root, no apt-get), says so and exits 0: the test then skips outside
# CI, and fails in CI, where it must run.
set -uo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "install-browser: $(command -v chromium) is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: chromium is not installed, and this needs root and apt-get; skipped." \
    "Install it yourself (Debian/Ubuntu: sudo apt-get install -y chromium) to run the /docs browser test."
  exit 0
fi
echo "install-browser: installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq chromium >/dev/null && command -v chromium
