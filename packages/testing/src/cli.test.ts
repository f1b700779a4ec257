import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import { chat, chatBody, send } from './test-helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

function run(
  args: string[],
  env: Record<string, string> = {},
): {
  child: ChildProcess;
  firstLine: Promise<string>;
  exit: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@plumb/source', cli, ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      stdout += data.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error(`plumb-emulator exited early: ${stdout}${stderr}`)));
  });
  firstLine.catch(() => undefined);
  child.stderr!.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit, output: () => stdout + stderr };
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'plumb-cli-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('plumb-emulator command', () => {
  it('serves a JSON script on a free port, prints its URL, and stops on SIGTERM', async () => {
    const script = join(directory, 'turns.json');
    await writeFile(script, JSON.stringify([{ content: 'From the CLI.' }]));
    // --turns: npm's --script-shell option swallows --script under npx (it is kept as an alias).
    const process_ = run(['--port', '0', '--api-key', 'sk-cli', '--turns', script]);
    try {
      const line = await process_.firstLine;
      const url = /^plumb-emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
      expect(url).toBeDefined();
      const reply = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-cli', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      expect((await reply.json()).choices[0].message.content).toBe('From the CLI.');
    } finally {
      process_.child.kill('SIGTERM');
    }
    expect(await process_.exit).toBe(0);
  });

  it('loads a TypeScript module script (with the old --script name)', async () => {
    const script = join(directory, 'script.ts');
    await writeFile(
      script,
      "export default (request: { path: string }) => ({ content: 'path ' + request.path });\n",
    );
    const process_ = run(['--script', script]);
    try {
      const url = /(http:\/\/\S+)$/.exec(await process_.firstLine)![1]!;
      const reply = await chat({ url });
      expect(reply.json.choices[0].message.content).toBe('path /chat/completions');
    } finally {
      process_.child.kill('SIGINT');
    }
    expect(await process_.exit).toBe(0);
  });

  it('exits 2 with a message on bad arguments', async () => {
    const process_ = run(['--port', 'abc']);
    expect(await process_.exit).toBe(2);
    expect(process_.output()).toContain('--port must be an integer');
    const count = run(['--max-logged-requests', 'many']);
    expect(await count.exit).toBe(2);
    expect(count.output()).toContain('--max-logged-requests must be an integer >= 0');
    const both = run(['--turns', 'a.json', '--script', 'b.json']);
    expect(await both.exit).toBe(2);
    expect(both.output()).toContain('--turns and --script are the same option');
  });

  it('records through a proxy with --record (key from DEEPSEEK_API_KEY, redacted), then replays with --cassette', async () => {
    const key = 'sk-upstream-secret-4242';
    const upstream = await startEmulator({ apiKey: key, script: [{ content: 'Recorded answer.' }] });
    const cassette = join(directory, 'recorded.json');
    const recorder = run(['--record', cassette, '--target', upstream.url], { DEEPSEEK_API_KEY: key });
    try {
      const url = /at (http:\/\/\S+)$/.exec(await recorder.firstLine)![1]!;
      const reply = await send({ url }, '/chat/completions', chatBody(), { apiKey: 'sk-anything' });
      expect(reply.json.choices[0].message.content).toBe('Recorded answer.');
    } finally {
      recorder.child.kill('SIGTERM');
      await upstream.close();
    }
    expect(await recorder.exit).toBe(0);
    const file = await readFile(cassette, 'utf8');
    expect(file).not.toContain(key);
    expect(file).toContain('Recorded answer.');

    const replay = run(['--cassette', cassette, '--api-key', 'sk-replay']);
    try {
      const url = /(http:\/\/\S+)$/.exec(await replay.firstLine)![1]!;
      const replayed = await send({ url }, '/chat/completions', chatBody(), { apiKey: 'sk-replay' });
      expect(replayed.json.choices[0].message.content).toBe('Recorded answer.');
      const other = await send(
        { url },
        '/chat/completions',
        chatBody({ messages: [{ role: 'user', content: 'Other' }] }),
        {
          apiKey: 'sk-replay',
        },
      );
      expect(other.status).toBe(400);
      expect(other.json.error.type).toBe('emulator_cassette_mismatch');
    } finally {
      replay.child.kill('SIGTERM');
    }
    expect(await replay.exit).toBe(0);
  });
});
