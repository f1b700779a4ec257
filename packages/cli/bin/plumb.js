#!/usr/bin/env node
// The built CLI lives in ../dist. From a source checkout run instead:
//   pnpm exec tsx --conditions=@plumb/source packages/cli/src/cli.ts --help
import('../dist/cli.js').then(
  (cli) =>
    cli.main().then((code) => {
      process.exitCode = code;
    }),
  (error) => {
    process.stderr.write(
      `plumb: could not load ../dist/cli.js (${error.message}).\n` +
        'Build it with `pnpm --filter plumb build`, or run from source with\n' +
        '`pnpm exec tsx --conditions=@plumb/source packages/cli/src/cli.ts`.\n',
    );
    process.exitCode = 1;
  },
);
