import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cliEnv, FIXTURES, runCli, spawnCli } from './test-helpers.js';

// Each case starts a Node child that loads the sources through tsx: seconds each on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const AGENT = join(FIXTURES, 'shop-agent.ts');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('plumb --help', () => {
  it('the command and each subcommand print their usage and exit 0', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['run', 'chat', 'studio', 'emulator']) expect(top.stdout).toContain(command);
    const expected: Record<string, string> = {
      run: 'Usage: plumb run <agent-module> [prompt]',
      chat: 'Usage: plumb chat <agent-module>',
      studio: 'Usage: plumb studio [agent-module]',
      emulator: 'Usage: plumb emulator [options]',
    };
    const results = await Promise.all(Object.keys(expected).map((command) => runCli([command, '--help'])));
    Object.values(expected).forEach((usage, index) => {
      expect(results[index]?.code, usage).toBe(0);
      expect(results[index]?.stdout).toContain(usage);
    });
  });

  it('an unknown command or a module without an agent is exit 2 with the fix', async () => {
    const [unknown, missing, absent] = await Promise.all([
      runCli(['launch']),
      runCli(['run', join(FIXTURES, 'not-an-agent.ts'), 'hi']),
      runCli(['run', 'nowhere.ts', 'hi']),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "launch"');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('exports no agent');
    expect(absent.stderr).toContain('Agent module not found');
  });
});

describe('plumb run', () => {
  it('streams the answer to stdout, tool calls and usage/cost to stderr, offline', async () => {
    const result = await runCli(['run', AGENT, "what's the weather in Paris?"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('Done: {"city":"Paris","celsius":21}');
    expect(result.stderr).toContain('offline: DeepSeek emulator');
    expect(result.stderr).toContain('[reasoning] Look it up.');
    expect(result.stderr).toContain('→ get_weather({"city":"Paris"})');
    expect(result.stderr).toMatch(/← get_weather \(\d+ms\): \{"city":"Paris","celsius":21\}/);
    expect(result.stderr).toMatch(
      /usage: \d+ in \(\d+ cached, \d+% cache hit\) · \d+ out \(\d+ reasoning\) · cost \$\d+\.\d{6} · 2 steps/,
    );
  });

  it('prints a progress line during a long run', async () => {
    const result = await runCli(['run', AGENT, 'be slow', '--progress-every', '0.05']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/… step 1 · 0 tool calls · \d+ chars · \d+\.\ds/);
    expect(result.stdout).toContain('tick tick');
  });

  it('asks about calls that need approval on stdin; --approve none rejects them', async () => {
    const asked = await runCli(['run', AGENT, 'pay the bill'], { input: 'y\n' });
    expect(asked.stderr).toContain('approve transfer({"amount":5})? [y/N]');
    expect(asked.stdout).toContain('Done: sent 5');
    expect(asked.code).toBe(0);
    const refused = await runCli(['run', AGENT, 'pay the bill', '--approve', 'none']);
    expect(refused.stderr).toContain('rejected transfer');
    expect(refused.stdout).not.toContain('sent 5');
  });

  it('reads the prompt from stdin and records the run with PLUMB_RECORD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-cli-'));
    dirs.push(dir);
    const store = join(dir, 'runs.jsonl');
    const result = await runCli(['run', AGENT], {
      input: 'hello there\n',
      env: cliEnv({ PLUMB_RECORD: store }),
    });
    expect(result.stdout.trim()).toBe('You said: hello there');
    expect(readFileSync(store, 'utf8')).toContain('"agent":"shop"');
  });

  it('rejects a bad option value naming it', async () => {
    const result = await runCli(['run', AGENT, 'hi', '--approve', 'maybe']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--approve must be ask, all or none');
  });
});

describe('plumb chat', () => {
  it('keeps the conversation, asks for approvals and quits on /exit', async () => {
    const result = await runCli(['chat', AGENT], { input: 'hi\npay me\ny\n/exit\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('You said: hi');
    expect(result.stdout).toContain('Done: sent 5');
    expect(result.stderr).toContain('you> ');
    expect(result.stderr).toContain('approved transfer');
  });
});

describe('plumb emulator', () => {
  it('serves the emulator on loopback until stopped', async () => {
    const child = spawnCli(['emulator', '--port', '0']);
    try {
      let output = '';
      child.stdout?.on('data', (chunk) => {
        output += String(chunk);
      });
      while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(output)) await once(child.stdout!, 'data');
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1];
      const response = await fetch(`${url}/models`, { headers: { authorization: 'Bearer sk-test' } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'close');
    }
  });
});

describe('plumb studio', () => {
  it('serves the studio on 127.0.0.1 until stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-cli-'));
    dirs.push(dir);
    const child = spawnCli(['studio', AGENT, '--port', '0', '--store', join(dir, 'runs.jsonl')]);
    try {
      let output = '';
      child.stdout?.on('data', (chunk) => {
        output += String(chunk);
      });
      const pattern = /plumb studio on (http:\/\/127\.0\.0\.1:\d+\/)/;
      while (!pattern.test(output)) await once(child.stdout!, 'data');
      const url = pattern.exec(output)![1]!;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>plumb studio</title>');
      const info = (await (await fetch(`${url}api/info`)).json()) as { agent: boolean; offline: boolean };
      expect(info).toEqual({ agent: true, offline: true });
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
  });
});
