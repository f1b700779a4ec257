#!/usr/bin/env bash
# Issue 20: what the web, studio and scaffolder checks need in CI: Debian's Chromium for the studio
# browser tests, then a create-plumb project installed from the packed tarballs runs its own tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ci-chromium.sh
bash scripts/ci-create-plumb.sh
