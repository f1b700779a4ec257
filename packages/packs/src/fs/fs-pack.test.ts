import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { startEmulator } from '@plumb/testing';
import { type AnyTool, isToolPack, resolveTools } from '@plumb/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsPack, PackConfigError } from './index.js';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'plumb-fspack-'));
  root = path.join(base, 'work');
  await mkdir(path.join(root, 'src'), { recursive: true });
  await writeFile(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  await writeFile(path.join(base, 'secret.txt'), 'TOP SECRET');
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'escape'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function byName(tools: readonly AnyTool[], name: string): AnyTool {
  const found = tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

const call = (target: AnyTool, args: unknown) =>
  target.invoke({ id: 'call_00_test', function: { arguments: JSON.stringify(args) } });

describe('fsPack', () => {
  it('is read-only by default, with valid definitions', () => {
    const pack = fsPack({ root });
    expect(isToolPack(pack)).toBe(true);
    expect(pack.name).toBe('fs');
    expect(pack.tools.map((tool) => tool.name)).toEqual(['list_directory', 'read_file', 'search_files']);
    for (const tool of pack.tools) {
      expect(tool.definition.type).toBe('function');
      expect(tool.definition.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(tool.definition.function.description).toContain('workspace root');
      expect(tool.definition.function.parameters).toMatchObject({ type: 'object' });
    }
    expect(byName(pack.tools, 'read_file').definition.function.parameters).toMatchObject({
      properties: { path: { type: 'string' }, offset: { type: 'integer', minimum: 0 } },
      required: ['path'],
    });
  });

  it('adds write_file and edit_file only with allowWrite, and prefixes on request', () => {
    const pack = fsPack({ root, allowWrite: true, prefix: true });
    expect(pack.tools.map((tool) => tool.name)).toEqual([
      'fs_list_directory',
      'fs_read_file',
      'fs_search_files',
      'fs_write_file',
      'fs_edit_file',
    ]);
    expect(() => resolveTools([pack, fsPack({ root, prefix: 'other' })])).not.toThrow();
  });

  it('runs through the tools executor: results as text/JSON, refusals as model-readable errors', async () => {
    const pack = fsPack({ root, allowWrite: true });
    const read = await call(byName(pack.tools, 'read_file'), { path: 'src/a.ts' });
    expect(read).toMatchObject({ ok: true, content: 'export const a = 1;\n' });

    const escaped = await call(byName(pack.tools, 'read_file'), { path: 'escape' });
    expect(escaped.ok).toBe(false);
    expect(escaped.content).toContain('points outside the workspace root');
    expect(escaped.content).not.toContain('TOP SECRET');

    const traversal = await call(byName(pack.tools, 'write_file'), { path: '../pwned.txt', content: 'x' });
    expect(traversal.ok).toBe(false);
    expect(traversal.content).toContain('outside the workspace root');

    const written = await call(byName(pack.tools, 'write_file'), { path: 'notes/n.md', content: 'hi' });
    expect(JSON.parse(written.content)).toEqual({ path: 'notes/n.md', bytesWritten: 2, created: true });
    const edited = await call(byName(pack.tools, 'edit_file'), {
      path: 'notes/n.md',
      oldText: 'hi',
      newText: 'bye',
    });
    expect(edited.ok).toBe(true);
    expect(await readFile(path.join(root, 'notes/n.md'), 'utf8')).toBe('bye');

    const listed = await call(byName(pack.tools, 'list_directory'), {});
    expect(JSON.parse(listed.content).entries.map((entry: { path: string }) => entry.path)).toEqual([
      'escape',
      'notes/',
      'src/',
    ]);
    const found = await call(byName(pack.tools, 'search_files'), { content: 'export' });
    expect(JSON.parse(found.content).matches).toEqual([
      { path: 'src/a.ts', line: 1, text: 'export const a = 1;' },
    ]);

    const bad = await call(byName(pack.tools, 'read_file'), { path: 42 });
    expect(bad.ok).toBe(false);
    expect(bad.content).toContain('path');
  });

  it('pages long files with a notice the model can follow', async () => {
    await writeFile(path.join(root, 'long.txt'), 'y'.repeat(300));
    const pack = fsPack({ root, maxReadBytes: 100 });
    const first = await call(byName(pack.tools, 'read_file'), { path: 'long.txt' });
    expect(first.content).toBe(
      `${'y'.repeat(100)}\n\n[Showing bytes 0-100 of 300. Call read_file again with offset 100 to read more.]`,
    );
  });

  it("passes the call's signal to a regular-expression search, which stops when it aborts", async () => {
    await writeFile(path.join(root, 'redos.txt'), `${'a'.repeat(40)}!\n`);
    const search = byName(fsPack({ root, regexTimeoutMs: 10_000 }).tools, 'search_files');
    const controller = new AbortController();
    const reason = new Error('run aborted');
    const pending = search.execute(
      { path: '.', name: 'redos.txt', content: '^(a+)+$', regex: true, caseSensitive: false },
      {
        signal: controller.signal,
        callId: 'call_00_test',
        toolName: 'search_files',
        baseName: 'search_files',
        runId: undefined,
        idempotencyKey: 'call_00_test',
        data: undefined,
      },
    );
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('checks its options when built', () => {
    expect(() => fsPack({ root: path.join(base, 'missing') })).toThrow(PackConfigError);
    // An empty root would silently mean the current directory: refused, as is a missing one.
    expect(() => fsPack({ root: '' })).toThrow(/root is required/);
    expect(() => fsPack({} as never)).toThrow(PackConfigError);
    expect(() => fsPack({ root, ignore: 'node_modules' as never })).toThrow(/ignore must be an array/);
    expect(() => fsPack({ root, maxReadBytes: 0 })).toThrow(/maxReadBytes must be a positive whole number/);
    expect(() => fsPack({ root, maxWriteBytes: 1.5 })).toThrow(PackConfigError);
  });
});

describe('built-in write approval', () => {
  const approval = (target: AnyTool, args: Record<string, unknown>) =>
    target.requiresApproval(
      args as never,
      {
        callId: 'call_00_test',
        toolName: target.name,
        baseName: target.name,
        data: undefined,
      } as never,
    );

  it('asks before every write_file and edit_file by default, never before a read', async () => {
    const pack = fsPack({ root, allowWrite: true, prefix: 'repo' });
    const decisions = await Promise.all(pack.tools.map((target) => approval(target, { path: 'x' })));
    expect(Object.fromEntries(pack.tools.map((target, index) => [target.name, decisions[index]]))).toEqual({
      repo_list_directory: false,
      repo_read_file: false,
      repo_search_files: false,
      repo_write_file: true,
      repo_edit_file: true,
    });
  });

  it('approveWrites: false turns it off; the pack-wide needsApproval still applies to every tool', async () => {
    const off = fsPack({ root, allowWrite: true, approveWrites: false });
    expect(await Promise.all(off.tools.map((target) => approval(target, {})))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    const all = fsPack({ root, allowWrite: true, approveWrites: false, needsApproval: true });
    expect(await Promise.all(all.tools.map((target) => approval(target, {})))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    const readsToo = fsPack({ root, allowWrite: true, needsApproval: true });
    expect(await Promise.all(readsToo.tools.map((target) => approval(target, {})))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('pauses an agent run before a write, with no predicate configured', async () => {
    const emulator = await startEmulator({
      port: 0,
      apiKey: 'sk-fake-test',
      script: [
        {
          toolCalls: [
            { name: 'read_file', arguments: { path: 'src/a.ts' } },
            { name: 'write_file', arguments: { path: 'src/a.ts', content: 'overwritten' } },
          ],
        },
      ],
    });
    try {
      const agent = new Agent({
        client: new DeepSeek({ apiKey: 'sk-fake-test', baseURL: emulator.url }),
        tools: [fsPack({ root, allowWrite: true })],
      });
      const result = await agent.run('Rewrite a.ts');
      expect(result.finishReason).toBe('interrupted');
      expect(result.interruptions.map((call) => call.name)).toEqual(['write_file']);
      expect(await readFile(path.join(root, 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
    } finally {
      await emulator.close();
    }
  });
});
