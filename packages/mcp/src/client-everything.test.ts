import { ToolResultContent } from '@plumb/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMcp, type McpConnection } from './index.js';
import { EVERYTHING, onCleanup, startEverythingHttp } from './test-helpers.js';

// Against @modelcontextprotocol/server-everything, the reference server, run from node_modules.

async function everything(extra: Partial<Parameters<typeof connectMcp>[0]> = {}): Promise<McpConnection> {
  const connection = await connectMcp({
    name: 'everything',
    command: process.execPath,
    args: [EVERYTHING],
    stderr: 'ignore',
    ...extra,
  } as Parameters<typeof connectMcp>[0]);
  onCleanup(() => connection.close());
  return connection;
}

function find(connection: McpConnection, name: string) {
  const found = connection.tools.find((tool) => tool.name === name);
  if (found === undefined)
    throw new Error(`no tool ${name} in ${connection.tools.map((tool) => tool.name).join(', ')}`);
  return found;
}

async function call(connection: McpConnection, name: string, args: unknown) {
  return find(connection, name).invoke({ id: 'call_00_test', function: { arguments: JSON.stringify(args) } });
}

// One server for the tests that need no special options (each start costs a second or so).
let shared: McpConnection;
beforeAll(async () => {
  shared = await connectMcp({
    name: 'everything',
    command: process.execPath,
    args: [EVERYTHING],
    stderr: 'ignore',
  });
});
afterAll(() => shared.close());

describe('connectMcp over stdio (server-everything)', () => {
  it('offers the tools prefixed with the server name, sanitized, in name order', async () => {
    const connection = shared;
    const names = connection.tools.map((tool) => tool.name);
    expect(names).toContain('everything_echo');
    expect(names).toContain('everything_get-sum');
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(find(connection, 'everything_echo').definition.function.parameters).toMatchObject({
      type: 'object',
      properties: { message: { type: 'string' } },
    });
    expect(connection.description).toMatch(/MCP server "everything"/);
  });

  it('calls a tool and returns its text; invalid arguments go back to the model before any call', async () => {
    const connection = shared;
    const sum = await call(connection, 'everything_get-sum', { a: 2, b: 3 });
    expect(sum).toMatchObject({ ok: true });
    expect(sum.content).toMatch(/5/);
    const bad = await call(connection, 'everything_get-sum', { a: 'two', b: 3 });
    expect(bad.ok).toBe(false);
    expect(bad.content).toMatch(/Invalid arguments for tool "everything_get-sum"/);
    expect(bad.content).toMatch(/a: must be number/);
  });

  it('turns images into image parts and keeps structuredContent as the result', async () => {
    const connection = shared;
    const image = await call(connection, 'everything_get-tiny-image', {});
    expect(image.ok).toBe(true);
    const value = image.ok ? image.value : undefined;
    expect(ToolResultContent.isInstance(value)).toBe(true);
    const parts = (value as ToolResultContent).parts;
    expect(
      parts.some(
        (part) => part.type === 'image_url' && part.image_url.url.startsWith('data:image/png;base64,'),
      ),
    ).toBe(true);
    expect(image.content).toContain('[image]');

    const structured = await call(connection, 'everything_get-structured-content', { location: 'New York' });
    expect(structured.ok).toBe(true);
    const result = (structured.ok ? structured.value : undefined) as ToolResultContent;
    expect(result.value).toMatchObject({ temperature: expect.any(Number) });
  });

  it('renders embedded resources and resource links as text for the model', async () => {
    const connection = shared;
    const embedded = await call(connection, 'everything_get-resource-reference', {
      resourceType: 'Text',
      resourceId: 1,
    });
    expect(embedded.content).toMatch(/Resource demo:\/\/resource\/dynamic\/text\/1/);
    const links = await call(connection, 'everything_get-resource-links', { count: 2 });
    expect(links.content).toMatch(/\[resource link demo:\/\/resource\//);
  });

  it('images: false replaces images with a note (for text-only models)', async () => {
    const connection = await everything({ images: false });
    const image = await call(connection, 'everything_get-tiny-image', {});
    const value = (image.ok ? image.value : undefined) as ToolResultContent;
    expect(value.hasImages).toBe(false);
    expect(image.content).toMatch(/\[image image\/png, \d+ bytes, not shown\]/);
  });

  it('lists and reads resources and templates, and gets prompts as chat messages', async () => {
    const connection = shared;
    const resources = await connection.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const templates = await connection.listResourceTemplates();
    expect(templates.map((template) => template.uriTemplate)).toContain(
      'demo://resource/dynamic/text/{resourceId}',
    );
    const contents = await connection.readResource('demo://resource/dynamic/text/1');
    expect(contents[0]?.text).toBeTypeOf('string');
    const prompts = await connection.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toContain('args-prompt');
    const prompt = await connection.getPrompt('args-prompt', { city: 'Lisbon' });
    expect(prompt.messages).toEqual([{ role: 'user', content: expect.stringContaining('Lisbon') }]);
  });

  it('include and exclude keep the tools the agent needs; more than 128 tools names the option', async () => {
    const only = await everything({ include: ['echo', /^get-s/] });
    expect(only.tools.map((tool) => tool.name)).toEqual([
      'everything_echo',
      'everything_get-structured-content',
      'everything_get-sum',
    ]);
    const without = await everything({ exclude: (tool) => tool.name !== 'echo', prefix: 'ev' });
    expect(without.tools.map((tool) => tool.name)).toEqual(['ev_echo']);
  });

  it('maps the MCP hints: readOnlyHint runs in parallel, others alone; overrides win', async () => {
    const connection = await everything({ tools: { echo: { needsApproval: true, parallel: true } } });
    expect(find(connection, 'everything_trigger-long-running-operation').parallel).toBe(true); // readOnlyHint: true
    expect(find(connection, 'everything_echo')).toMatchObject({ needsApproval: true, parallel: true });
  });

  it('reports progress notifications and cancels on the server when the call is aborted', async () => {
    const connection = shared;
    const progress: unknown[] = [];
    const controller = new AbortController();
    const outcome = find(connection, 'everything_trigger-long-running-operation').run(
      { duration: 5, steps: 50 },
      {
        callId: 'call_00_long',
        signal: controller.signal,
        onProgress: (update) => {
          progress.push(update);
          if (progress.length === 2) controller.abort(new Error('user stop'));
        },
      },
    );
    const result = await outcome;
    expect(result.ok).toBe(false);
    expect(result.content).toMatch(/cancelled/);
    expect(progress[0]).toEqual({ progress: 1, total: 50, message: undefined });
    // The connection is still usable after a cancelled call.
    expect((await call(connection, 'everything_echo', { message: 'still here' })).content).toMatch(
      /still here/,
    );
  });

  it('a timeout cancels the call and answers the model with a timeout error', async () => {
    const connection = await everything({ tools: { 'trigger-long-running-operation': { timeoutMs: 300 } } });
    const outcome = await call(connection, 'everything_trigger-long-running-operation', {
      duration: 5,
      steps: 5,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.content).toMatch(/timed out after 300 ms/);
  });
});

describe('connectMcp over HTTP (server-everything on loopback)', () => {
  it('speaks Streamable HTTP', async () => {
    const { url } = await startEverythingHttp('streamableHttp');
    const connection = await connectMcp({ name: 'remote', url, headers: { 'x-api-key': 'secret-value' } });
    onCleanup(() => connection.close());
    const echo = await call(connection, 'remote_echo', { message: 'over http' });
    expect(echo.content).toMatch(/over http/);
  });

  it('falls back to the legacy HTTP+SSE transport', async () => {
    const { url } = await startEverythingHttp('sse');
    const connection = await connectMcp({ name: 'legacy', url });
    onCleanup(() => connection.close());
    const sum = await call(connection, 'legacy_get-sum', { a: 20, b: 22 });
    expect(sum.content).toMatch(/42/);
  });
});
