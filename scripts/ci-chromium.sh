#!/usr/bin/env bash
# Issue 20: Debian's Chromium for the studio's browser tests (playwright-core drives it; the
# Playwright browser download is never used). Installs it with apt-get when absent.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null || echo present)"
  exit 0
fi
printf '\n=== installing chromium (apt-get)\n'
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
echo "chromium: $(chromium --version)"
