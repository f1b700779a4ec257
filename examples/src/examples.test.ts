import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_BANNER } from './lib/connect.js';
import { sqliteSkipReason } from './lib/native-sqlite.js';
import { postgresSkipReason } from './lib/needs-postgres.js';
import { EXAMPLES } from './lib/registry.js';

// Every registered example runs offline (no DEEPSEEK_API_KEY) in its own Node process, the way
// `pnpm example <name>` runs it, and must exit 0 after printing the offline banner and the lines
// below. Two processes at a time keep a 2-core machine responsive.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const source = new URL('./', import.meta.url);

/** A line (or pattern) each example must print: proof it did its job, not just that it exited. */
const EXPECTED: Record<string, Array<string | RegExp>> = {
  demo: [
    '→ get_weather {"city": "Lisbon"}',
    '← calculate {"expression":"(24 - 18) * 9 / 5","result":"10.8","exact":true}',
    /answer {2}Lisbon is warmer: .* which is 10\.8 °F\./,
    /^run {5}3 steps · 3 tool calls · finish: stop$/m,
    /^tokens {2}[\d,]+ in \(\d+\.\d% cache hit\)/m,
    /^cost {4}\$0\.\d{6} · ¥0\.\d{6} · (off-)?peak price$/m,
  ],
  quickstart: ['It is 21 °C and sunny in Paris.', /^\d+ tokens, \$0\.\d{6}$/m],
  account: ['model deepseek-flash, 1,048,576 tokens of context', 'balance: 100.00 CNY (granted 0.00)'],
  'openai-compat': ['It is 18 °C with light rain in Paris: take an umbrella.'],
  chat: [
    'Tides come from the Moon’s gravity pulling on the oceans as the Earth turns.',
    'finish reason: stop',
  ],
  stream: [
    'thinking',
    'No. 3599 = 59 × 61, because 3599 = 60² − 1 and a difference of squares factors.',
    /\d+ output tokens, \d+ of them reasoning/,
  ],
  'weather-agent': [
    'step 0: get_weather({"city": "Paris"}) -> {"city":"Paris","celsius":18,"conditions":"light rain"}',
    'finish reason: stop, steps: 2',
  ],
  'parallel-tools': [
    'history order: {"city": "Lisbon"} {"city": "Oslo"} {"city": "Tokyo"}',
    /result \{"city":"Oslo"/,
  ],
  'thinking-tools': [
    'step 2 sends 2 earlier assistant turn(s), 2 with reasoning_content',
    '3 notebooks and 2 pens cost $15.90, which is €14.63.',
    /Invalid agent option `toolChoice`/,
  ],
  'structured-output': ["genres: [ 'science fiction' ]", 'step 0 was re-asked: genres:'],
  fim: ['    return fib(n - 1) + fib(n - 2)', 'finish reason: stop'],
  'prefix-completion': ['def is_leap(year: int) -> bool:'],
  'custom-pack': [
    'tools: notes_add, notes_search',
    'notes_search {"query": "shopping"} -> [{"id":1,"text":"Buy oat milk","tags":["shopping"]}]',
  ],
  approval: ['paused with 2 call(s) awaiting approval; state saved', 'files left: notes.txt'],
  'session-chat': [
    'process 2:',
    'user> What is my name?',
    'assistant> Your name is Ada.',
    /^cache: [1-9]\d* of \d+ prompt tokens$/m,
    'stored: 9 messages in 3 turns, revision 3',
  ],
  'durable-workers': [
    /^\[worker-[ab]\] ready$/m,
    'event: tool-call lookup_order {"order": 1042}',
    /^killed worker-[ab] during lookup_order; the other worker adopts the run$/m,
    /^\[worker-[ab]\] lookup_order 1042 \(key order-1042\/0\/call_00_\w+\)$/m,
    'event: end (interrupted)',
    'awaiting approval: refund {"order":1042,"amount":30}',
    /^\[worker-[ab]\] refund 30 for 1042 \(key order-1042\/1\/call_00_\w+\)$/m,
    'answer: I refunded $30 for order 1042: it arrived damaged.',
    /^usage of order-1042: 3 requests, \d+ prompt tokens$/m,
  ],
  'long-run': [
    /^step \d+: \d+ -> \d+ tokens \(clearToolResults\), from message \d+/m,
    'Crawled all 60 pages.',
    /cache hit ratio around step \d+: \d+% before, \d+% on the compacted request, \d+% after/,
    '61 steps, 1 compactions, finish: stop',
  ],
  mcp: [
    'tools: fs_list_directory, fs_read_text_file, fs_search_files',
    /← fs_read_text_file: - renew passport/,
    'Your todo list: renew passport, book the dentist, water the plants.',
  ],
  'mcp-server': [
    /^MCP server at http:\/\/127\.0\.0\.1:\d+\/mcp$/m,
    /weather_get_weather \{"city": ?"Oslo"\} -> \{"city":"Oslo","celsius":9,"conditions":"windy"\}/,
    'It is 9 °C and windy in Oslo.',
  ],
  'agent-as-tool': ['weather_expert answered: Lisbon: 24 °C and sunny.', /the whole run used \d+ tokens/],
  'chat-repl': ['assistant> Nice to meet you, Ada! Pixel.', 'assistant> Your name is Ada.'],
  'cost-report': [
    /^2 +\d+ +\d+ +\d+/m,
    /cache hit ratio: \d+\.\d% of prompt tokens/,
    /without cache: +\$0\.\d+/,
  ],
  errors: [
    'attempts: 2',
    '400, not retried: The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed deepseek-v9-ultra.',
    'caught before sending (model-retired)',
    'caught before sending (forced-tool-choice-thinking)',
  ],
  images: [
    /^uploaded upload\.png \(74 bytes\) as file-api-\w+$/m,
    'A small red square on a plain background.',
    /^prompt tokens: \d+ \(an image costs at most 384\)$/m,
    'agent: The screen shows a red square.',
    'caught before sending (image-on-text-model)',
  ],
  'leaked-tool-calls': ['recovered from the text: get_weather', 'It is 18 °C in Paris.'],
  'loop-control': [
    'finish reason: stopped, steps: 2',
    /^step 1 lost \d+ cached tokens \(tools\)$/m,
    'skip: It is 18 °C with light rain in Paris.',
  ],
  recording: [
    /^run_[0-9a-f]{32}: done, 2 steps, 1 tool call\(s\)$/m,
    '  #0 run-start',
    /#\d+ tool-result \(step 0\)/,
    /#\d+ run-end$/m,
  ],
  'model-middleware': [
    /^step 0: tool_calls, \d+ tokens$/m,
    'second run: Oslo: 9 °C and windy. Bring a jacket.',
    'cache hits: 2 (the second run sent no request)',
  ],
  tracing: [
    /^invoke_agent travel \d+ ms · \d+ in \/ \d+ out tokens/m,
    /^ {2}execute_tool weather_expert /m,
    /^ {4}invoke_agent agent /m,
    /^ {6}chat deepseek-flash \d+ ms/m,
    /^9 spans, one trace: [0-9a-f]{32}$/m,
  ],
};

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const PER_EXAMPLE_MS = 30_000;
/** Examples that start processes of their own (Postgres, two workers) get longer. */
const SLOW_MS: Record<string, number> = { 'durable-workers.ts': 120_000 };

/** Runs a file under examples/src offline, as `tsx --conditions=@plumb/source` would. */
function runOffline(file: string, args: string[] = [], input?: string): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['DEEPSEEK_API_KEY', 'DEEPSEEK_BASE_URL', 'PLUMB_LOG', 'FORCE_COLOR']) delete env[name];
  const script = fileURLToPath(new URL(file, source));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@plumb/source', script, ...args],
      {
        cwd: repoRoot,
        env,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        timeout: SLOW_MS[file] ?? PER_EXAMPLE_MS,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.stdin?.end(input);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the jobs at most `limit` at a time. */
async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

function expectLines(outcome: Outcome, expected: Array<string | RegExp>): void {
  const context = `stdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`;
  expect(outcome.code, context).toBe(0);
  expect(outcome.stderr, context).toBe('');
  expect(outcome.stdout.split('\n')[0], context).toBe(OFFLINE_BANNER);
  for (const line of expected) {
    if (typeof line === 'string') expect(outcome.stdout, context).toContain(line);
    else expect(outcome.stdout, context).toMatch(line);
  }
}

const outcomes = new Map<string, Outcome>();

describe('examples (offline, against the emulator)', () => {
  beforeAll(async () => {
    const runnable = EXAMPLES.filter(
      (entry) => (sqliteSkipReason(entry.name) ?? postgresSkipReason(entry.name)) === undefined,
    );
    const jobs: Array<() => Promise<void>> = runnable.map((entry) => async () => {
      outcomes.set(entry.name, await runOffline(entry.file));
    });
    jobs.push(async () => {
      outcomes.set('cli chat', await runOffline('cli.ts', ['chat']));
    });
    jobs.push(async () => {
      outcomes.set('cli list', await runOffline('cli.ts'));
    });
    jobs.push(async () => {
      outcomes.set('cli unknown', await runOffline('cli.ts', ['no-such-example']));
    });
    jobs.push(async () => {
      outcomes.set('chat-repl piped', await runOffline('chat-repl.ts', [], 'hello there\n\nsecond line\n'));
    });
    await pool(jobs, 2);
  }, 240_000);

  it('has expected output for every registered example', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(EXAMPLES.map((entry) => entry.name).sort());
  });

  for (const { name } of EXAMPLES) {
    const skip = sqliteSkipReason(name) ?? postgresSkipReason(name);
    it.skipIf(skip !== undefined)(
      `${name} runs offline and prints what it promises${skip ? ` (skipped: ${skip})` : ''}`,
      () => {
        expectLines(outcomes.get(name)!, EXPECTED[name] ?? []);
      },
    );
  }

  it('pnpm example <name> runs that example', () => {
    expectLines(outcomes.get('cli chat')!, EXPECTED.chat ?? []);
  });

  it('pnpm example lists every example with its description', () => {
    const outcome = outcomes.get('cli list')!;
    expect(outcome.code).toBe(0);
    for (const entry of EXAMPLES) expect(outcome.stdout).toContain(`${entry.name}  `);
    expect(outcome.stdout).toContain(EXAMPLES[0]!.description);
  });

  it('pnpm example <unknown> fails with the list of names', () => {
    const outcome = outcomes.get('cli unknown')!;
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      'No example named "no-such-example". Available: demo, quickstart, chat,',
    );
  });

  it('chat-repl answers every line piped to stdin, keeping the conversation', () => {
    const outcome = outcomes.get('chat-repl piped')!;
    expectLines(outcome, [
      'you> hello there',
      'assistant> (scripted reply) You said: "hello there".',
      'assistant> (scripted reply) You said: "second line".',
      '(5 messages in the conversation)',
    ]);
    expect(outcome.stdout).not.toContain('Ada');
  });
});
