#!/usr/bin/env bash
# Prints the bin folder of the release tools (changesets, publint, are-the-types-wrong), installed
# from the npm registry at pinned versions into a cache outside the workspace, the way .ci/run
# installs Node 24: they check what users install, so they stay out of the workspace's lockfile.
set -euo pipefail
versions="@changesets/cli@2.31.1 publint@0.3.25 @arethetypeswrong/cli@0.18.5"
cache=${PLUMB_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plumb-ci}
dir="$cache/release-$(echo "$versions" | tr ' @/' '-__')"
if [ ! -x "$dir/node_modules/.bin/attw" ]; then
  mkdir -p "$dir"
  echo '{"name":"plumb-release-tools","private":true}' > "$dir/package.json"
  npm i --no-audit --no-fund --loglevel=error --prefix "$dir" $versions >/dev/null
fi
echo "$dir/node_modules/.bin"
