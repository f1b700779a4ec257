import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, type RecordedRequest, startEmulator, type Turn } from '@plumb/testing';
import { afterEach, describe, expect, it } from 'vitest';

// The pack docs quote these example files verbatim (docs-snippets.test.ts); here they run. The
// two programs run unchanged in their own process against the emulator (`new DeepSeek()` reads
// DEEPSEEK_API_KEY and DEEPSEEK_BASE_URL); the modules are imported and their packs used.

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
let emulator: Emulator | undefined;
let folder: string | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

function runProgram(file: string, cwd: string, server: Emulator) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.PLUMB_LOG;
  env.DEEPSEEK_API_KEY = server.apiKey;
  env.DEEPSEEK_BASE_URL = server.url;
  const script = fileURLToPath(new URL(file, import.meta.url));
  const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
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

const toolMessages = (request: RecordedRequest | undefined) =>
  ((request?.body?.messages ?? []) as Array<{ role: string; content: string }>).filter(
    (message) => message.role === 'tool',
  );

describe('the pack examples run', () => {
  it('quickstart.ts: an agent with the fs, math and time packs answers from the tools', async () => {
    folder = mkdtempSync(join(tmpdir(), 'plumb-packs-quickstart-'));
    mkdirSync(join(folder, 'my-project', 'src'), { recursive: true });
    writeFileSync(join(folder, 'my-project', 'src', 'app.ts'), '// TODO: one\n// TODO: two\nexport {};\n');
    const script: Turn[] = [
      {
        toolCalls: [
          { name: 'search_files', arguments: { path: 'src', content: 'TODO' } },
          { name: 'calculate', arguments: { expression: '2 * 15 + 1' } },
        ],
      },
      { content: 'There are 2 TODO comments in src/, and 30 days until 2027-01-01.' },
    ];
    emulator = await startEmulator({ script });
    const { code, stdout, stderr } = await runProgram('./quickstart.ts', folder, emulator);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('There are 2 TODO comments in src/, and 30 days until 2027-01-01.\n');
    const results = toolMessages(emulator.requests.at(-1)).map((message) => message.content);
    expect(results[0]).toContain('app.ts');
    expect(results[1]).toContain('31');
  }, 60_000); // runs a child process

  it('deepseek-web.ts: the agent searches through DeepSeek and answers', async () => {
    folder = mkdtempSync(join(tmpdir(), 'plumb-packs-web-'));
    emulator = await startEmulator({
      script: [
        { toolCalls: [{ name: 'web_search', arguments: { query: 'DeepSeek API latest release' } }] },
        { content: 'The latest release adds the Responses API (https://api-docs.deepseek.com/).' },
      ],
    });
    const { code, stdout, stderr } = await runProgram('./deepseek-web.ts', folder, emulator);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('The latest release adds the Responses API');
    expect(emulator.requests.some((request) => request.path.endsWith('/tools/search'))).toBe(true);
  }, 60_000); // runs a child process

  it('math-pack.ts and time-pack.ts: the configured packs answer tool calls', async () => {
    const { math } = await import('./math-pack.js');
    const { frozen } = await import('./time-pack.js');
    const calculate = math.tools.find((tool) => tool.name === 'calculate')!;
    const sum = await calculate.invoke({
      id: 'call_0',
      function: { arguments: '{"expression": "0.1 + 0.2"}' },
    });
    expect(sum.content).toContain('0.3');
    const now = frozen.tools.find((tool) => tool.name === 'time_now')!;
    const outcome = await now.invoke({ id: 'call_1', function: { arguments: '{}' } });
    expect(outcome.content).toContain('2025-03-09');
  });

  it('fs-pack.ts: the read runs at once, the workspace write waits for approval, then runs', async () => {
    folder = mkdtempSync(join(tmpdir(), 'plumb-packs-fs-'));
    for (const root of ['docs', 'workspace', 'repo', 'sandbox']) mkdirSync(join(folder, root)); // fsPack checks each root exists
    writeFileSync(join(folder, 'docs', 'intro.md'), '# Intro\nplumb is a DeepSeek client.\n');
    emulator = await startEmulator({
      script: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'intro.md' } }] },
        {
          toolCalls: [
            {
              name: 'workspace_write_file',
              arguments: { path: 'summary.md', content: 'A DeepSeek client.' },
            },
          ],
        },
        { content: 'Saved summary.md in the workspace.' },
      ],
    });
    const { code, stdout, stderr } = await runProgram('./fs-pack.ts', folder, emulator);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // One pause, for the write only (the read of the first step did not ask).
    expect(stdout).toMatch(
      /^approving workspace_write_file \{"path": ?"summary\.md", ?"content": ?"A DeepSeek client\."\}\nSaved summary\.md in the workspace\.\n$/,
    );
    expect(toolMessages(emulator.requests[1])[0]?.content).toContain('plumb is a DeepSeek client.');
    expect(readFileSync(join(folder, 'workspace', 'summary.md'), 'utf8')).toBe('A DeepSeek client.');
    expect(emulator.requests).toHaveLength(3);
  }, 60_000); // runs a child process

  it('http-pack.ts: the configured packs build, with the tool names the docs give', async () => {
    const { web, intranet } = await import('./http-pack.js');
    expect(web.tools.map((tool) => tool.name)).toEqual(['fetch_url']);
    expect(intranet.tools.map((tool) => tool.name)).toEqual(['intranet_fetch_url']);
  });
});
