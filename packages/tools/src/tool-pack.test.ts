import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ToolDefinitionError, ToolExecutionError } from './errors.js';
import { tool } from './tool.js';
import { isToolPack, toolPack } from './tool-pack.js';

const search = tool({
  name: 'search',
  description: 'Search',
  parameters: z.object({ q: z.string() }),
  execute: ({ q }) => `results for ${q}`,
});

describe('toolPack()', () => {
  it('groups tools under a name, keeping their names and order', () => {
    const fetchPage = tool({
      name: 'fetch',
      description: 'Fetch',
      parameters: z.object({}),
      execute: () => '',
    });
    const web = toolPack({ name: 'web', description: 'Web access', tools: [search, fetchPage] });
    expect(isToolPack(web)).toBe(true);
    expect(web).toMatchObject({ kind: 'tool-pack', name: 'web', description: 'Web access' });
    expect(web.tools.map((member) => [member.name, member.pack])).toEqual([
      ['search', 'web'],
      ['fetch', 'web'],
    ]);
  });

  it('prefixes names with the pack name (prefix: true) or a given prefix', () => {
    expect(
      toolPack({ name: 'web', description: '', tools: [search], prefix: true }).tools[0]?.definition.function
        .name,
    ).toBe('web_search');
    const custom = toolPack({ name: 'web', description: '', tools: [search], prefix: 'w' });
    expect(custom.tools[0]?.name).toBe('w_search');
    expect(custom.tools[0]?.definition.function.name).toBe('w_search');
    expect(search.name).toBe('search');
  });

  it('runs setup once, lazily, and shares its state through context.pack', async () => {
    const setup = vi.fn(async () => ({ base: 'https://example.test', calls: 0 }));
    const api = toolPack({
      name: 'api',
      description: 'An API',
      setup,
      tools: (packTool) => [
        packTool({
          name: 'get',
          description: 'GET a path',
          parameters: z.object({ path: z.string() }),
          execute: ({ path }, { pack }) => {
            pack.calls++;
            return `${pack.base}${path} #${pack.calls}`;
          },
        }),
        packTool({
          name: 'count',
          description: 'How many calls',
          parameters: z.object({}),
          execute: (_args, { pack }) => pack.calls,
        }),
      ],
    });
    expect(setup).not.toHaveBeenCalled();
    const [get, count] = api.tools;
    const results = await Promise.all([
      get!.run({ path: '/a' }, { callId: '1' }),
      get!.run({ path: '/b' }, { callId: '2' }),
    ]);
    expect(results.map((result) => result.content).sort()).toEqual([
      'https://example.test/a #1',
      'https://example.test/b #2',
    ]);
    expect(await count!.run({}, { callId: '3' })).toMatchObject({ ok: true, content: '2' });
    expect(setup).toHaveBeenCalledTimes(1);
  });

  it('turns a failed setup into an error result and tries again on the next call', async () => {
    let attempts = 0;
    const flaky = toolPack({
      name: 'flaky',
      description: '',
      setup: () => {
        attempts++;
        if (attempts === 1) throw new Error('connection refused');
        return { ready: true };
      },
      tools: (packTool) => [
        packTool({
          name: 'status',
          description: '',
          parameters: z.object({}),
          execute: (_args, { pack }) => pack,
        }),
      ],
    });
    const first = await flaky.tools[0]!.run({}, { callId: 'c1' });
    expect(first.ok).toBe(false);
    if (!first.ok) {
      expect(first.error).toBeInstanceOf(ToolExecutionError);
      expect((first.error.cause as Error).message).toBe('connection refused');
      expect(first.content).toBe(
        'Error: tool "status" failed: The setup of tool pack "flaky" failed (connection refused), so tool "status" could not run.',
      );
    }
    expect(await flaky.tools[0]!.run({}, { callId: 'c2' })).toMatchObject({
      ok: true,
      content: '{"ready":true}',
    });
  });

  it('applies pack defaults; a tool keeps its own settings', () => {
    const own = tool({
      ...{ name: 'own', description: '', parameters: z.object({}) },
      execute: () => '',
      timeoutMs: 5,
      needsApproval: false,
    });
    const pack = toolPack({
      name: 'p',
      description: '',
      tools: [search, own],
      timeoutMs: 1000,
      needsApproval: true,
      maxResultChars: 50,
    });
    expect(
      pack.tools.map((member) => [member.timeoutMs, member.needsApproval, member.maxResultChars]),
    ).toEqual([
      [1000, true, 50],
      [5, false, 50],
    ]);
  });

  it.each([
    [
      'an invalid pack name',
      { name: 'my pack', description: '', tools: [] },
      /Tool pack name "my pack" is invalid/,
    ],
    ['a non-tool', { name: 'p', description: '', tools: [{ name: 'fake' }] }, /tools\[0\] is not a tool/],
    [
      'duplicate names',
      { name: 'p', description: '', tools: [search, search] },
      /has two tools named "search"/,
    ],
    [
      'a prefixed name over 64 characters',
      { name: 'p'.repeat(60), description: '', tools: [search], prefix: true },
      /the prefixed name "p+_search" is 67 characters long/,
    ],
    ['a missing description', { name: 'p', tools: [] }, /description must be a string/],
  ])('rejects %s', (_label, options, message) => {
    expect(() => toolPack(options as never)).toThrow(ToolDefinitionError);
    expect(() => toolPack(options as never)).toThrow(message);
  });
});
