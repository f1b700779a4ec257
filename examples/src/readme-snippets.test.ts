import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { type Emulator, type RecordedRequest, startEmulator, startRecorder, type Turn } from '@plumb/testing';
import { findPostgresBin, postgresUnavailableReason, startPostgres } from '@plumb/testing/postgres';
import { tool } from '@plumb/tools';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { sqliteUnavailable } from './lib/native-sqlite.js';

// The code blocks of the root README and the package READMEs are whole files under
// examples/src/readme/ or regions below (docs-snippets.test.ts checks they are quoted verbatim),
// and each runs here against the emulator. `new DeepSeek()` reads DEEPSEEK_API_KEY and
// DEEPSEEK_BASE_URL, so the README programs run unchanged, offline, in their own process.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const weatherScript = [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  { content: 'It is 21 °C and sunny in Paris.' },
];

/** Runs examples/src/readme/<file> as a user would run the README code, against the emulator. */
function runReadme(
  file: string,
  emulator: Emulator,
  cwd: string = repoRoot,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['PLUMB_LOG', 'FORCE_COLOR']) delete env[name];
  // The README code calls `new DeepSeek()`, which reads these two: the emulator stands in for the API.
  env.DEEPSEEK_API_KEY = emulator.apiKey;
  env.DEEPSEEK_BASE_URL = emulator.url;
  const script = fileURLToPath(new URL(`./readme/${file}`, import.meta.url));
  const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs'); // the cwd may be a temp folder
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, '--conditions=@plumb/source', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('README code blocks run, unchanged, against the emulator', () => {
  it.each([
    [
      'readme/quickstart.ts (root README)',
      'quickstart.ts',
      weatherScript,
      /^It is 21 °C and sunny in Paris\.\n\d+ tokens, \$0\.\d{6}\n$/,
    ],
    [
      'readme/core.ts (packages/core/README.md)',
      'core.ts',
      [{ content: 'Hello!' }, { content: '1 2 3 4 5' }],
      /^Hello! \d\.\d+(e-\d+)?\n1 2 3 4 5\n\d+ reasoning tokens\n$/,
    ],
    [
      'readme/agent.ts (packages/agent/README.md)',
      'agent.ts',
      [
        ...weatherScript,
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
        { content: 'Rome is 21 °C too.' },
      ],
      /^It is 21 °C and sunny in Paris\. \d+ [\d.e-]+ [\d.]+\nRome is 21 °C too\.$/,
    ],
    [
      'readme/tools.ts (packages/tools/README.md)',
      'tools.ts',
      [],
      /^get_weather\n\{"city":"Paris","celsius":21\}\n\[ 'weather_get_weather' \]\n$/,
    ],
  ] as const)(
    '%s',
    async (_title, file, script, expected) => {
      const emulator = await startEmulator({ script: [...script] as Turn[] });
      try {
        const { code, stdout, stderr } = await runReadme(file, emulator);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(stdout).toMatch(expected);
      } finally {
        await emulator.close();
      }
    },
    60_000,
  ); // a child process each: slow to start on a loaded 2-core machine
  it('readme/mcp.ts (packages/mcp/README.md) puts a stdio and an HTTP MCP server beside a pack', async () => {
    const emulator = await startEmulator({
      script: [
        {
          toolCalls: [
            { name: 'fs_list_allowed_directories', arguments: {} },
            { name: 'docs_search_docs', arguments: { query: 'passport' } },
            { name: 'calendar_today', arguments: {} },
          ],
        },
        { content: 'Renew your passport; the docs do not cover it.' },
      ],
    });
    try {
      const { code, stdout, stderr } = await runReadme('mcp.ts', emulator);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^fs_\w+( fs_\w+)* docs_search_docs calendar_today\n/);
      expect(stdout).toMatch(/\nRenew your passport; the docs do not cover it\.\n$/);
      // Each tool ran: the stdio server, the HTTP server (with its bearer token) and the pack.
      const results = JSON.stringify(emulator.requests[1]?.body.messages);
      expect(results).toContain('plumb-readme-mcp-');
      expect(results).toContain('No page mentions passport.');
      expect(results).toContain('2026-12-02');
    } finally {
      await emulator.close();
    }
  }, 60_000);

  it('packages/testing/README.md', async () => {
    const assertToolResult = (body: RecordedRequest['body']) => {
      if (!JSON.stringify(body.messages).includes('21')) throw new Error('no tool result sent back');
    };
    const codeUnderTest = async (client: DeepSeek) => {
      const getWeather = tool({
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, celsius: 21 }),
      });
      return (await new Agent({ client, tools: [getWeather] }).run('Weather in Paris?')).text;
    };
    // #region testing-readme
    const emulator = await startEmulator({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { expect: (request) => assertToolResult(request.body), content: 'It is 21C in Paris.' },
      ],
    });
    const client = new DeepSeek({ baseURL: emulator.url, apiKey: emulator.apiKey }); // or new OpenAI(...)
    const answer = await codeUnderTest(client); // the code under test, pointed at the emulator
    emulator.assertDone(); // every turn used, no expectation failed
    await emulator.close();
    // #endregion
    expect(answer).toBe('It is 21C in Paris.');
  });

  it('packages/testing/README.md: a prerendered long turn', async () => {
    const bigText = 'word '.repeat(20_000);
    // #region testing-readme-prerender
    const long: Turn = { content: bigText, deltaSize: 8, prerender: true };
    const emulator = await startEmulator({ script: () => long, maxLoggedRequests: 100 });
    // #endregion
    try {
      const client = new DeepSeek({ baseURL: emulator.url, apiKey: emulator.apiKey });
      const ask = { model: 'deepseek-flash', messages: [{ role: 'user' as const, content: 'Long, please' }] };
      const first = await client.chat.completions.stream(ask).finalCompletion();
      const second = await client.chat.completions.stream(ask).finalCompletion();
      expect(first.choices[0]?.message.content).toBe(bigText);
      expect(second.choices[0]?.message.content).toBe(bigText);
    } finally {
      await emulator.close();
    }
  });

  it('packages/testing/README.md: record a cassette, then replay it offline', async () => {
    // The recorder proxies to the real API by default; here another emulator stands in for it.
    const upstream = await startEmulator({ script: [{ content: 'It is 21C in Paris.' }] });
    vi.stubEnv('DEEPSEEK_API_KEY', upstream.apiKey);
    const folder = mkdtempSync(join(tmpdir(), 'plumb-readme-cassette-'));
    const cassette = join(folder, 'weather.json');
    const codeUnderTest = async (client: DeepSeek) =>
      (
        await client.chat.completions.create({
          model: 'deepseek-flash',
          messages: [{ role: 'user', content: 'Weather in Paris?' }],
        })
      ).choices[0]?.message.content;
    try {
      // #region testing-readme-record
      const recorder = await startRecorder({ cassette, target: upstream.url }); // target: the real API when left out; the key: DEEPSEEK_API_KEY
      const recorded = await codeUnderTest(new DeepSeek({ baseURL: recorder.url, apiKey: 'any' })); // the recorder sends the real key upstream
      await recorder.close(); // writes the cassette
      const emulator = await startEmulator({ cassette }); // offline replay
      const replayed = await codeUnderTest(new DeepSeek({ baseURL: emulator.url, apiKey: emulator.apiKey }));
      emulator.assertDone();
      await emulator.close();
      // #endregion
      expect(recorded).toBe('It is 21C in Paris.');
      expect(replayed).toBe(recorded);
      expect(upstream.requests).toHaveLength(1); // the replay never reached the upstream
      expect(readFileSync(cassette, 'utf8')).not.toContain(upstream.apiKey);
    } finally {
      vi.unstubAllEnvs();
      await upstream.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // Skipped, visibly, where the PostgreSQL binaries are missing; CI installs them and must run it.
  it('packages/testing/README.md: a real PostgreSQL', async (context) => {
    if (process.env.CI === 'true' && postgresUnavailableReason() !== undefined)
      throw new Error(`CI must run this test, but ${postgresUnavailableReason()}.`);
    const seen: string[] = [];
    // The code under test: here psql, asking the database its name.
    const codeUnderTest = async (url: string) => {
      const psql = join(findPostgresBin()!, 'psql');
      seen.push(execFileSync(psql, [url, '-tAc', 'select current_database()'], { encoding: 'utf8' }).trim());
    };
    // #region testing-readme-postgres
    const reason = postgresUnavailableReason(); // undefined when initdb and pg_ctl exist
    if (reason !== undefined) context.skip(reason); // a visible skip
    const pg = await startPostgres(); // initdb in a temp folder, pg_ctl start on a free 127.0.0.1 port
    const url = await pg.createDatabase('my_test'); // postgres://plumb@127.0.0.1:<port>/my_test (trust auth)
    await codeUnderTest(url);
    await pg.stop(); // pg_ctl stop -m fast on this data directory, folder removed
    // #endregion
    expect(url).toMatch(/^postgres:\/\/plumb@127\.0\.0\.1:\d+\/my_test$/);
    expect(seen).toEqual(['my_test']);
    expect(existsSync(pg.dir)).toBe(false);
  }, 120_000);

  // These two write a SQLite file through better-sqlite3, so they run in a temporary folder, and
  // are skipped (visibly) on a Node the native module was not built for (CI's Node 24 pass).
  it.skipIf(sqliteUnavailable !== undefined)(
    'readme/recorder.ts (packages/recorder/README.md) records the run and reads it back',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'plumb-readme-recorder-'));
      const emulator = await startEmulator({ script: [...weatherScript] as Turn[] });
      try {
        const { code, stdout, stderr } = await runReadme('recorder.ts', emulator, folder);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(stdout).toBe('true true\n');
      } finally {
        await emulator.close();
        rmSync(folder, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it.skipIf(sqliteUnavailable !== undefined)(
    'readme/sessions.ts (packages/sessions/README.md) continues a stored conversation',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'plumb-readme-sessions-'));
      mkdirSync(join(folder, 'data'));
      const emulator = await startEmulator({
        script: [{ content: 'Hello Ada.' }, { content: 'Your name is Ada.' }],
      });
      try {
        const { code, stdout, stderr } = await runReadme('sessions.ts', emulator, folder);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(stdout).toBe('Your name is Ada.\n');
        const second = emulator.requests.filter((request) => request.path.endsWith('/chat/completions'))[1];
        expect(JSON.stringify(second?.body.messages)).toContain('Hi, my name is Ada.');
      } finally {
        await emulator.close();
        rmSync(folder, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
