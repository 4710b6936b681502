#!/usr/bin/env bash
# Install Debian's Chromium and Japanese fonts for the browser tests and benchmarks, when missing.
# Used by .ci/run; locally (as root, or with sudo): sudo scripts/browser_for_tests.sh
# Playwright drives this Chromium (tests/browser.py); it never downloads a browser of its own.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list :lang=ja 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
chromium --version 2>/dev/null
