#!/usr/bin/env bash
# The quickstart's tool loop (@plumb/core + tools + agent) on every runtime users deploy to, from
# the packed tarballs installed into a fresh project: Node, Bun, Deno, Cloudflare Workers
# (workerd), and an esbuild bundle of the app (ESM and CJS) run with no node_modules beside it.
# Each talks to the emulator on loopback. The runtimes and esbuild come from the npm registry
# (their binaries ship inside registry packages), pinned, cached under $PLUMB_CI_CACHE.
# The packs, the emulator and the cli stay Node-only (see docs/installing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
cache=${PLUMB_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plumb-ci}
tools_versions="esbuild@0.28.2 bun@1.4.5 deno@2.9.6 workerd@1.20260426.1"
tools="$cache/runtimes-$(echo "$tools_versions" | tr ' @' '-_')"
if [ ! -x "$tools/node_modules/.bin/workerd" ]; then
  mkdir -p "$tools"
  echo '{"name":"plumb-runtimes","private":true}' > "$tools/package.json"
  npm i --no-audit --no-fund --loglevel=error --prefix "$tools" $tools_versions >/dev/null
fi
bin="$tools/node_modules/.bin"

pnpm --filter @plumb/core --filter @plumb/tools --filter @plumb/agent --filter @plumb/testing build >/dev/null
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/tarballs" "$work/app"
for dir in packages/core packages/tools packages/agent packages/testing; do
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
cp scripts/runtimes/*.mjs "$work/app/"
cd "$work/app"
echo '{"name":"runtime-app","private":true,"type":"module"}' > package.json
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz zod@4 pino@10 >/dev/null

# CommonJS callers: Node >= 20.19 loads the ES module through require(); older Node gets plumb's
# message about the ESM-only policy instead of ERR_REQUIRE_ESM.
node -e "const { DeepSeek } = require('@plumb/core'); if (typeof DeepSeek !== 'function') process.exit(1); console.log('require(@plumb/core) on node ' + process.version + ': ok')"
old_node="$cache/node20.18/node_modules/node/bin/node"
if [ ! -x "$old_node" ]; then
  mkdir -p "$cache/node20.18"
  npm i --no-audit --no-fund --loglevel=error --prefix "$cache/node20.18" node@20.18 >/dev/null
fi
if message=$("$old_node" -e "require('@plumb/agent')" 2>&1); then
  echo "FAILED: require('@plumb/agent') on Node $("$old_node" -v) should explain the ESM-only policy"
  exit 1
fi
if ! grep -q 'ESM-only and needs Node.js >= 20.19' <<<"$message"; then
  echo "$message"
  echo "FAILED: Node $("$old_node" -v) did not get plumb's ESM-only message"
  exit 1
fi
echo "require(@plumb/agent) on node $("$old_node" -v): $(grep -o 'is ESM-only and needs Node.js >= 20.19' <<<"$message")"

# The emulator (Node-only) on a free loopback port; its first line gives the URL.
start_emulator() {
  node node_modules/@plumb/testing/bin/plumb-emulator.js --api-key sk-runtime --script turns.mjs >"$work/emulator.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/emulator.log" | head -1 || true)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  cat "$work/emulator.log"
  echo "FAILED: the emulator did not start"
  exit 1
}
start_emulator
echo "emulator at $url"

node main.mjs "$url"
"$bin/bun" main.mjs "$url"
"$bin/deno" run --quiet --allow-net=127.0.0.1 --allow-env --allow-read main.mjs "$url"

# A bundled app: esbuild follows the import() of pino and jsonrepair into the bundle, so the bundle
# runs from an empty folder. PLUMB_LOG=info makes pino load; the tool arguments need jsonrepair.
mkdir -p "$work/bundle"
"$bin/esbuild" main.mjs --bundle --platform=node --format=esm --log-level=warning --outfile="$work/bundle/app.mjs" \
  --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
"$bin/esbuild" main.mjs --bundle --platform=node --format=cjs --log-level=warning --outfile="$work/bundle/app.cjs"
for format in mjs cjs; do
  log="$work/bundle/$format.log"
  (cd "$work/bundle" && PLUMB_LOG=info node "app.$format" "$url" "esbuild-$format" 2>"$log")
  if ! grep -q '"msg":"deepseek request"' "$log"; then
    cat "$log"
    echo "FAILED: the bundled app did not log through pino with PLUMB_LOG=info"
    exit 1
  fi
  echo "bundle ($format): pino logged $(grep -c '"msg":"deepseek request"' "$log") requests"
done

# Cloudflare Workers: the app bundled for workerd (no nodejs_compat flag: no node: modules).
mkdir -p "$work/worker"
"$bin/esbuild" worker.mjs --bundle --format=esm --platform=browser --conditions=workerd,worker \
  --log-level=warning --outfile="$work/worker/worker.js"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
sed -e "s#@PORT@#$port#" -e "s#@EMULATOR_URL@#$url#" "$repo/scripts/runtimes/worker.capnp.template" > "$work/worker/config.capnp"
(cd "$work/worker" && "$bin/workerd" serve config.capnp >"$work/workerd.log" 2>&1) &
pids+=("$!")
answer=""
for _ in $(seq 1 100); do
  if answer=$(curl -sf "http://127.0.0.1:$port/" 2>/dev/null); then break; fi
  sleep 0.2
done
if [ -z "$answer" ]; then
  curl -s "http://127.0.0.1:$port/" || true
  cat "$work/workerd.log"
  echo "FAILED: the worker did not answer"
  exit 1
fi
echo "$answer"
