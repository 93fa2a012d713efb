#!/usr/bin/env bash
# For the browser test (tests/integration/test_widget_browser.py): installs Debian's chromium
# when /usr/bin/chromium is missing. Never fails the test run: without a browser (not root, no
# apt-get, no network) the browser test is skipped and says why. Output: var/apt-chromium.log.
set -uo pipefail
cd "$(dirname "$0")/.."

[ -x /usr/bin/chromium ] && exit 0
mkdir -p var
log=var/apt-chromium.log
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: chromium is not installed and cannot be installed here (needs root and apt-get);" \
         "the browser test will be skipped" >&2
    exit 0
fi
echo "==> Installing chromium for the browser test (apt-get; log: $log)"
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; } >"$log" 2>&1; then
    echo "note: installing chromium failed (see $log); the browser test will be skipped" >&2
fi
exit 0
