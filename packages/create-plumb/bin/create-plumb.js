#!/usr/bin/env node
// The built scaffolder lives in ../dist. From a source checkout run instead:
//   pnpm exec tsx --conditions=@plumb/source packages/create-plumb/src/cli.ts my-agent
import('../dist/cli.js').then(
  (cli) =>
    cli.main().then((code) => {
      process.exitCode = code;
    }),
  (error) => {
    process.stderr.write(`create-plumb: could not load ../dist/cli.js (${error.message}).\n`);
    process.exitCode = 1;
  },
);
