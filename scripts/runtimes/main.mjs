// Entry for Node, Bun, Deno and the bundled app: `<runtime> main.mjs <emulator url> [log level]`.
import { runLoop } from './app.mjs';

const [baseURL, logLevel] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const runtime = globalThis.Deno
  ? `deno ${Deno.version.deno}`
  : globalThis.Bun
    ? `bun ${Bun.version}`
    : `node ${process.version}${process.env.PLUMB_BUNDLE ? ` (${process.env.PLUMB_BUNDLE} bundle)` : ''}`;
// No top-level await: the same file is also bundled to CommonJS.
runLoop({ baseURL, logLevel, runtime }).then(console.log, (error) => {
  console.error(error);
  process.exitCode = 1;
});
