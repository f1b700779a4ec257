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
# And a real run through the built packages: an agent with a zod tool against the emulator.
cat > run.mjs <<'JS'
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { startEmulator } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { z } from 'zod';

const emulator = await startEmulator({
  apiKey: 'sk-dist',
  script: [
    { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
    { content: 'The sum is 5.' },
  ],
});
try {
  const add = tool({
    name: 'add',
    description: 'Add two numbers',
    parameters: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => a + b,
  });
  const client = new DeepSeek({ apiKey: 'sk-dist', baseURL: emulator.url });
  const result = await new Agent({ client, tools: [add] }).run('What is 2 + 3?');
  if (result.text !== 'The sum is 5.' || result.steps[0].toolCalls[0].result !== 5) {
    throw new Error(`unexpected result: ${JSON.stringify(result.text)}`);
  }
  console.log('dist run ok:', result.text, `(${result.steps.length} steps)`);
} finally {
  await emulator.close();
}
JS
node run.mjs
