import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectMcp } from './index.js';
import { FILESYSTEM, onCleanup, tempDir } from './test-helpers.js';

// Against @modelcontextprotocol/server-filesystem, run from node_modules on a temporary folder.

async function filesystem(dir: string, extra: Record<string, unknown> = {}) {
  const connection = await connectMcp({
    name: 'fs',
    command: process.execPath,
    args: [FILESYSTEM, dir],
    stderr: 'ignore',
    ...extra,
  });
  onCleanup(() => connection.close());
  return connection;
}

function call(connection: Awaited<ReturnType<typeof filesystem>>, name: string, args: unknown) {
  const found = connection.tools.find((tool) => tool.name === name);
  if (found === undefined) throw new Error(`no tool ${name}`);
  return found.invoke({ id: 'call_00_fs', function: { arguments: JSON.stringify(args) } });
}

describe('connectMcp over stdio (server-filesystem)', () => {
  it('reads and writes files in the folder; read-only tools may run in parallel, writes run alone and need approval when destructive', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'buy milk\n');
    const connection = await filesystem(dir);
    const read = await call(connection, 'fs_read_text_file', { path: join(dir, 'notes.txt') });
    expect(read).toMatchObject({ ok: true, content: expect.stringContaining('buy milk') });
    const write = await call(connection, 'fs_write_file', {
      path: join(dir, 'todo.txt'),
      content: 'call Ada',
    });
    expect(write.ok).toBe(true);
    expect(readFileSync(join(dir, 'todo.txt'), 'utf8')).toBe('call Ada');

    const byName = new Map(connection.tools.map((tool) => [tool.name, tool]));
    expect(byName.get('fs_read_text_file')?.parallel).toBe(true); // readOnlyHint: true
    expect(byName.get('fs_write_file')?.parallel).toBe(false);
    expect(byName.get('fs_write_file')?.needsApproval).toBe(true); // destructiveHint: true
    expect(byName.get('fs_read_text_file')?.needsApproval).toBe(false);
  });

  it('an isError result from the server is an error the model reads', async () => {
    const dir = tempDir();
    const connection = await filesystem(dir);
    const missing = await call(connection, 'fs_read_text_file', { path: join(dir, 'nope.txt') });
    expect(missing.ok).toBe(false);
    expect(missing.content).toMatch(/^Error: tool "fs_read_text_file" failed: .*(ENOENT|no such file)/s);
  });

  it('strict: true when every schema fits DeepSeek strict mode: all tools are strict', async () => {
    const dir = tempDir();
    const strict = await filesystem(dir, { strict: true });
    expect(strict.tools.length).toBeGreaterThan(5);
    for (const tool of strict.tools) {
      expect(tool.definition.function.strict).toBe(true);
      expect(tool.definition.function.parameters).toMatchObject({ additionalProperties: false });
    }
    const listed = await call(strict, 'fs_list_allowed_directories', {});
    expect(listed.content).toContain(dir.split('/').at(-1));
  });
});
