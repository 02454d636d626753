#!/usr/bin/env bash
# Used by `make test-browser`: the browser test drives Debian's Chromium through
# Playwright (Playwright cannot download its own browser here). Say how to get
# Chromium when it is missing, and fail.
set -euo pipefail

if [ -n "${CHROMIUM:-}" ] && [ -x "${CHROMIUM}" ]; then
    found="${CHROMIUM}"
elif [ -x /usr/bin/chromium ]; then
    found=/usr/bin/chromium
elif command -v chromium >/dev/null 2>&1; then
    found="$(command -v chromium)"
else
    echo "make test-browser needs Chromium, and it is not installed." >&2
    echo "On Debian or Ubuntu, install it with:" >&2
    echo "    apt-get update && apt-get install -y chromium     # as root, or with sudo" >&2
    echo "(or point the CHROMIUM variable at a Chromium executable)." >&2
    exit 1
fi
echo "Chromium: ${found}"
