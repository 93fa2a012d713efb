#!/usr/bin/env bash
# Installs the chat widget (web/: rasa-webchat, pinned by web/package-lock.json) with `npm ci`.
# Quick when nothing changed: skipped while package.json and package-lock.json are unchanged
# and node_modules is there (like the pip stamp in scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../web"

STAMP=node_modules/.shop-installed

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is required for the chat widget (web/) and was not found." >&2
    echo "       Install Node.js 18 or newer with npm (e.g. 'apt-get install nodejs npm')." >&2
    exit 1
fi

want=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
if [ ! -d node_modules ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "==> Installing the chat widget (npm ci in web/, pinned by package-lock.json)"
    mkdir -p ../var
    log=../var/npm-install.log
    if ! npm ci --no-audit --no-fund >"$log" 2>&1 || [ ! -f node_modules/rasa-webchat/lib/index.js ]; then
        tail -n 20 "$log" >&2
        echo "error: npm ci failed; the whole log is in var/npm-install.log" >&2
        exit 1
    fi
    echo "$want" > "$STAMP"
fi
