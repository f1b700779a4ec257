#!/usr/bin/env bash
# Proves `pnpm build` output works for a user's project: builds, packs every public package,
# installs the tarballs into a fresh project outside the repo and imports each entry point with
# plain Node ESM (no source condition, no tsx).
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm build >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/app"
packages=()
for dir in packages/*/; do
  if node -e "process.exit(require('./${dir}package.json').private ? 1 : 0)"; then
    (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
    packages+=("$(node -p "require('./${dir}package.json').name")")
  fi
done
cd "$work/app"
echo '{"name":"consumer","private":true,"type":"module"}' > package.json
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz zod@4 >/dev/null
script=""
i=0
for name in "${packages[@]}"; do
  for sub in $(node -p "Object.keys(require('$name/package.json').exports).filter(k => k !== './package.json').join(' ')"); do
    spec="$name${sub#.}"
    i=$((i + 1))
    script+="import * as m$i from '$spec'; console.log('$spec', Object.keys(m$i).length, 'exports');"$'\n'
  done
done
printf '%s' "$script" > check.mjs
node check.mjs
