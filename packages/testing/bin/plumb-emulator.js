#!/usr/bin/env node
// The built CLI lives in ../dist. From a source checkout run instead:
//   pnpm exec tsx --conditions=@plumb/source packages/testing/src/cli.ts --port 8787
import('../dist/cli.js').then(
  (cli) => cli.main(),
  (error) => {
    process.stderr.write(
      `plumb-emulator: could not load ../dist/cli.js (${error.message}).\n` +
        'Build it with `pnpm --filter @plumb/testing build`, or run from source with\n' +
        '`pnpm exec tsx --conditions=@plumb/source packages/testing/src/cli.ts`.\n',
    );
    process.exitCode = 1;
  },
);
