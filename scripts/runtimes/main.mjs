// Entry for Node, Bun, Deno and the bundled app: `<runtime> main.mjs <emulator url> [bundle label]`.
import { runLoop } from './app.mjs';

const [baseURL, bundle] = globalThis.Deno ? Deno.args : process.argv.slice(2);
const runtime = globalThis.Deno
  ? `deno ${Deno.version.deno}`
  : globalThis.Bun
    ? `bun ${Bun.version}`
    : `node ${process.version}${bundle ? ` (${bundle} bundle)` : ''}`;
// No top-level await: the same file is also bundled to CommonJS.
runLoop({ baseURL, runtime }).then(console.log, (error) => {
  console.error(error);
  process.exitCode = 1;
});
