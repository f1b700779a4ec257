import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startRecorder } from './cassette/recorder.js';
import { startEmulator } from './emulator.js';
import type { Script } from './types.js';

export const USAGE = `Usage: plumb-emulator [options]

Serves the DeepSeek API emulator until SIGINT/SIGTERM.

Options:
  --port <n>         port to listen on (default 0: a free port)
  --host <host>      interface to bind (default 127.0.0.1)
  --api-key <key>    API key clients must send (default sk-test)
  --turns <file>     .json list of turns, or a .js/.mjs/.ts module default-exporting a Script
                     (--script <file> is the old name; npm's own --script-shell option
                     swallows it under npx/npm exec, so use --turns or put -- first:
                     npx plumb-emulator -- --script turns.json)
  --cassette <file>  replay a recorded cassette
  --record <file>    record mode: proxy to --target with DEEPSEEK_API_KEY, write a cassette
  --target <url>     upstream for --record (default https://api.deepseek.com)
  --max-logged-requests <n>
                     requests kept in memory for script functions (default 1000)
  -h, --help         show this help

From a source checkout: pnpm exec tsx --conditions=@plumb/source packages/testing/src/cli.ts --port 8787`;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Something the CLI is serving; `close()` stops it. */
export interface Serving {
  url: string;
  close(): Promise<void>;
}

/** Loads a script file: JSON turns, or a module whose default export is a Script. */
export async function loadScript(file: string): Promise<Script> {
  const path = resolve(file);
  const script =
    extname(path) === '.json'
      ? (JSON.parse(await readFile(path, 'utf8')) as unknown)
      : ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  if (!Array.isArray(script) && typeof script !== 'function') {
    throw new TypeError(
      `Script ${file} must be a JSON array of turns, or a module whose default export is an array of turns or a function.`,
    );
  }
  return script as Script;
}

/** A long-running server must not keep every request body forever. */
const DEFAULT_MAX_LOGGED_REQUESTS = 1000;

function parseCount(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_LOGGED_REQUESTS;
  const count = Number(value);
  if (value.trim() === '' || !Number.isInteger(count) || count < 0) {
    throw new TypeError(`--max-logged-requests must be an integer >= 0, got ${JSON.stringify(value)}.`);
  }
  return count;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}.`);
  }
  return port;
}

/** Starts what the arguments ask for and prints one line with its URL. Throws on bad arguments. */
export async function serve(argv: string[], io: CliIo): Promise<Serving | undefined> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      turns: { type: 'string' },
      script: { type: 'string' },
      cassette: { type: 'string' },
      record: { type: 'string' },
      target: { type: 'string' },
      'max-logged-requests': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  if (values.turns !== undefined && values.script !== undefined) {
    throw new TypeError('--turns and --script are the same option (--script is its old name): give one.');
  }
  const scriptFile = values.turns ?? values.script;
  const port = parsePort(values.port);
  const maxLoggedRequests = parseCount(values['max-logged-requests']);
  if (values.record !== undefined) {
    const recorder = await startRecorder({
      cassette: values.record,
      target: values.target,
      port,
      host: values.host,
    });
    io.stdout.write(
      `plumb-emulator recording ${values.target ?? 'https://api.deepseek.com'} into ${values.record} at ${recorder.url}\n`,
    );
    return recorder;
  }
  const emulator = await startEmulator({
    port,
    host: values.host,
    apiKey: values['api-key'],
    script: scriptFile === undefined ? undefined : await loadScript(scriptFile),
    cassette: values.cassette,
    maxLoggedRequests,
  });
  io.stdout.write(`plumb-emulator listening on ${emulator.url}\n`);
  return emulator;
}

/** The `plumb-emulator` command: serves until SIGINT/SIGTERM, then exits 0. */
export async function main(argv: string[] = process.argv.slice(2), io: CliIo = process): Promise<void> {
  let serving: Serving | undefined;
  try {
    serving = await serve(argv, io);
  } catch (error) {
    io.stderr.write(`plumb-emulator: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (!serving) return;
  const running = serving;
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) void main();
