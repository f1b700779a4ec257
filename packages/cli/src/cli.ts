import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Agent, AgentResult } from '@plumb/agent';
import type { ChatMessage } from '@plumb/core';
import { type ApprovalMode, decide } from './approvals.js';
import type { Connection } from './connect.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';
import { LineReader } from './lines.js';
import { showRun } from './run-agent.js';

// The agent, the emulator, the recorder, tsx and the studio load only when a command needs them:
// `plumb --help` answers at once.

export const USAGE = `Usage: plumb <command> [options]

Commands:
  run <agent-module> [prompt]   run an agent once, streaming its answer
  chat <agent-module>           chat with an agent in the terminal
  studio [agent-module]         a local web page: recorded runs as timelines, chat, approvals, re-runs
  emulator                      serve the DeepSeek API emulator

An agent module is a .ts or .js file exporting an Agent (default or \`agent\`), or a function
({ client }) => Agent (default or \`createAgent\`); it may export \`turns\`, what the emulator says.
Without DEEPSEEK_API_KEY every command runs offline against the emulator on 127.0.0.1.

Run \`plumb <command> --help\` for a command's options.`;

const RUN_USAGE = `Usage: plumb run <agent-module> [prompt] [options]

Runs the agent once. The answer streams to stdout; reasoning, tool calls, a progress line and the
usage and cost at the end go to stderr. Without a prompt argument, the prompt is read from stdin.

Options:
  --approve <ask|all|none>  calls that need approval: ask on stdin (default), approve all, reject all
  --progress-every <s>      seconds between progress lines (default 2)
  -h, --help                show this help

Offline against the emulator when DEEPSEEK_API_KEY is unset. PLUMB_RECORD=1 records the run.`;

const CHAT_USAGE = `Usage: plumb chat <agent-module> [options]

A terminal chat: type a message, the answer streams back; the conversation goes on from the
previous answer. Calls that need approval are asked about ([y/N]). /exit or end of input quits.

Options:
  --approve <ask|all|none>  calls that need approval (default: ask)
  -h, --help                show this help`;

const STUDIO_USAGE = `Usage: plumb studio [agent-module] [options]

Serves the studio on http://127.0.0.1:<port>: recorded runs, each as a timeline (steps, reasoning,
tool calls, approvals, tokens, cache hits, cost, errors), live while a run streams. With an agent
module: chat with it, approve or reject its pending calls, and re-run a recorded conversation
against the emulator. Runs started from the studio are recorded into --store.

Options:
  --store <path>   recorded runs: .db (SQLite, needs better-sqlite3@12) or .jsonl (default .plumb/runs.db)
  --port <n>       port (default 4983; 0 picks a free one)
  -h, --help       show this help

The studio listens on 127.0.0.1 only.`;

function parsePositiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new CliError(`${name} must be a positive number, got ${JSON.stringify(value)}.`);
  }
  return number;
}

function parseApprove(value: string | undefined): ApprovalMode {
  if (value === undefined) return 'ask';
  if (value === 'ask' || value === 'all' || value === 'none') return value;
  throw new CliError(`--approve must be ask, all or none, got ${JSON.stringify(value)}.`);
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += String(chunk);
  return text;
}

/** Connects (offline when there is no key), loads the module and returns its agent. */
async function prepare(
  file: string,
  io: CliIo,
): Promise<{
  // biome-ignore lint/suspicious/noExplicitAny: any agent, whatever its output schema.
  agent: Agent<any>;
  connection: Connection;
}> {
  const { connect, OFFLINE_BANNER } = await import('./connect.js');
  const connection = await connect();
  try {
    if (connection.offline) io.stderr.write(`${OFFLINE_BANNER}\n`);
    const { registerFromEnv } = await import('@plumb/recorder');
    registerFromEnv(process.env);
    const { loadAgentModule } = await import('./load-agent.js');
    const module = await loadAgentModule(file);
    if (connection.offline && module.turns !== undefined) connection.emulator?.setScript(module.turns);
    const agent = module.agent ?? (await module.createAgent?.({ client: connection.client }));
    if (agent === undefined) throw new CliError(`${file}: createAgent() returned no agent.`);
    return { agent, connection };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      approve: { type: 'string' },
      'progress-every': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${RUN_USAGE}\n`);
    return 0;
  }
  const [file, ...words] = positionals;
  if (file === undefined) throw new CliError(`plumb run needs an agent module.\n\n${RUN_USAGE}`);
  const approve = parseApprove(values.approve);
  const progressEvery = parsePositiveNumber('--progress-every', values['progress-every'], 2);
  const prompt = words.length > 0 ? words.join(' ') : (await readAll(process.stdin)).trim();
  if (prompt === '') throw new CliError('plumb run needs a prompt: an argument, or text on stdin.');
  const { agent, connection } = await prepare(file, io);
  const lines = new LineReader(process.stdin);
  try {
    let result: AgentResult<unknown> = await showRun(agent, prompt, { io, progressEvery });
    while (result.finishReason === 'interrupted') {
      const state = await decide(result, approve, io, lines);
      if (state === undefined) break;
      result = await showRun(agent, state, { io, progressEvery });
    }
    return result.finishReason === 'stop' ? 0 : 1;
  } finally {
    lines.close();
    await connection.close();
  }
}

async function chatCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { approve: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(`${CHAT_USAGE}\n`);
    return 0;
  }
  const [file] = positionals;
  if (file === undefined) throw new CliError(`plumb chat needs an agent module.\n\n${CHAT_USAGE}`);
  const approve = parseApprove(values.approve);
  const { agent, connection } = await prepare(file, io);
  const lines = new LineReader(process.stdin);
  let history: ChatMessage[] = [];
  try {
    io.stderr.write('plumb chat: type a message (/exit to quit)\n');
    for (;;) {
      io.stderr.write('you> ');
      const line = await lines.next();
      if (line === undefined || line.trim() === '/exit') break;
      if (line.trim() === '') continue;
      let result = await showRun(agent, [...history, { role: 'user', content: line }], {
        io,
        progressEvery: 2,
      });
      while (result.finishReason === 'interrupted') {
        const state = await decide(result, approve, io, lines);
        if (state === undefined) break;
        result = await showRun(agent, state, { io, progressEvery: 2 });
      }
      history = result.messages.filter((message) => message.role !== 'system');
    }
    return 0;
  } finally {
    lines.close();
    await connection.close();
  }
}

async function studioCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { store: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(`${STUDIO_USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? 4983 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}.`);
  }
  const { startStudio } = await import('./studio/server.js');
  const studio = await startStudio({ agentModule: positionals[0], store: values.store, port, io });
  io.stdout.write(`plumb studio on ${studio.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void studio.close().then(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

/** The `plumb` command. Returns the exit code. */
export async function main(argv: string[] = process.argv.slice(2), io: CliIo = process): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'chat':
        return await chatCommand(rest, io);
      case 'studio':
        return await studioCommand(rest, io);
      case 'emulator': {
        const { EMULATOR_USAGE, emulatorMain } = await import('@plumb/testing');
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout.write(
            `${EMULATOR_USAGE.replace('plumb-emulator [options]', 'plumb emulator [options]')}\n`,
          );
          return 0;
        }
        await emulatorMain(rest, io);
        return typeof process.exitCode === 'number' ? process.exitCode : 0;
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof CliError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`plumb: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`plumb: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return 1;
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
