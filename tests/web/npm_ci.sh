#!/usr/bin/env bash
# Installs the pinned playwright-core (package-lock.json) into tests/web/node_modules
# when it is missing or stale. The browser is Debian's chromium (scripts/setup), so no
# browser download happens.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.package-lock.json
if [[ -d node_modules/playwright-core && -f "$stamp" && ! package-lock.json -nt "$stamp" ]]; then
  echo "node_modules up to date"
  exit 0
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error
