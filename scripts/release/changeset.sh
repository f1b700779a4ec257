#!/usr/bin/env bash
# `pnpm changeset [args]`: the changesets CLI (see scripts/release/tools.sh for where it comes from).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(bash scripts/release/tools.sh)
exec "$bin/changeset" "$@"
