import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Agent } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { startEmulator } from '@plumb/testing';
import { tool, toolPack } from '@plumb/tools';
import { unknownToolText } from '@plumb/tools/internal';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMcpServer, type PlumbMcpServer } from './index.js';
import { onCleanup, waitFor } from './test-helpers.js';

// plumb's own MCP server, driven by the official SDK client.

const getWeather = tool({
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, celsius: 21 }),
});

const deleteFile = tool({
  name: 'delete_file',
  description: 'Deletes a file',
  parameters: z.object({ path: z.string() }),
  needsApproval: true,
  execute: ({ path }) => `deleted ${path}`,
});

const aborted: string[] = [];
const slow = tool({
  name: 'slow',
  description: 'Takes its time and reports progress',
  parameters: z.object({ steps: z.number().int() }),
  execute: async ({ steps }, context) => {
    for (let step = 1; step <= steps; step++) {
      context.progress?.({ progress: step, total: steps, message: `step ${step}` });
      await new Promise((resolve) => setTimeout(resolve, 40));
      if (context.signal.aborted) {
        aborted.push(context.callId);
        throw new Error('stopped');
      }
    }
    return 'finished';
  },
});

async function serve(server: PlumbMcpServer) {
  const endpoint = await server.listen();
  onCleanup(() => endpoint.close());
  return endpoint;
}

async function sdkClient(url: string, capabilities: Record<string, unknown> = {}) {
  const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  onCleanup(() => client.close());
  return client;
}

describe('createMcpServer over Streamable HTTP, driven by the SDK client', () => {
  it('lists plumb tools (with packs) and runs them with validated arguments', async () => {
    const weather = toolPack({ name: 'weather', description: 'Weather', prefix: true, tools: [getWeather] });
    const { url } = await serve(createMcpServer({ name: 'plumb', tools: [weather, slow] }));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await sdkClient(url);
    const { tools } = await client.listTools();
    expect(tools.map((entry) => entry.name)).toEqual(['weather_get_weather', 'slow']);
    expect(tools[0]?.inputSchema).toMatchObject({ type: 'object', properties: { city: { type: 'string' } } });
    const result = await client.callTool({ name: 'weather_get_weather', arguments: { city: 'Oslo' } });
    expect(result).toMatchObject({ content: [{ type: 'text', text: '{"city":"Oslo","celsius":21}' }] });
    const invalid = await client.callTool({ name: 'weather_get_weather', arguments: { town: 'Oslo' } });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toMatch(/city/);
    const unknown = await client.callTool({ name: 'nope', arguments: {} });
    expect(unknown).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: unknownToolText('nope', ['weather_get_weather', 'slow']) }],
    });
  });

  it('sends progress notifications, and a client cancellation aborts the running tool', async () => {
    const { url } = await serve(createMcpServer({ name: 'plumb', tools: [slow] }));
    const client = await sdkClient(url);
    const progress: number[] = [];
    const done = await client.callTool({ name: 'slow', arguments: { steps: 3 } }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    expect(done.content).toEqual([{ type: 'text', text: 'finished' }]);
    expect(progress).toEqual([1, 2, 3]);

    const controller = new AbortController();
    const pending = client.callTool({ name: 'slow', arguments: { steps: 200 } }, undefined, {
      signal: controller.signal,
      onprogress: (update) => {
        if (update.progress === 2) controller.abort('enough');
      },
    });
    await expect(pending).rejects.toThrow();
    await waitFor(() => aborted.length > 0);
    expect(aborted[0]).toMatch(/^mcp_\d+$/);
  });

  it('asks for approval through elicitation when the client supports it', async () => {
    const { url } = await serve(createMcpServer({ name: 'plumb', tools: [deleteFile] }));
    const answers = [{ action: 'accept', content: { approve: true } }, { action: 'decline' }];
    const asked: string[] = [];
    const client = new Client({ name: 'elicit', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return answers.shift() as never;
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    onCleanup(() => client.close());
    const approved = await client.callTool({ name: 'delete_file', arguments: { path: 'a.tmp' } });
    expect(approved).toMatchObject({ content: [{ type: 'text', text: 'deleted a.tmp' }] });
    expect(asked[0]).toMatch(/Allow the tool "delete_file" to run/);
    const declined = await client.callTool({ name: 'delete_file', arguments: { path: 'b.tmp' } });
    expect(declined.isError).toBe(true);
    expect(JSON.stringify(declined.content)).toMatch(/did not approve/);
  });

  it('refuses an approval-gated tool clearly when the client cannot elicit', async () => {
    const { url } = await serve(createMcpServer({ name: 'plumb', tools: [deleteFile] }));
    const client = await sdkClient(url);
    const refused = await client.callTool({ name: 'delete_file', arguments: { path: 'a.tmp' } });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toMatch(
      /needs a person's approval.*does not support elicitation/,
    );
  });

  it('exposes a whole agent as one tool', async () => {
    const emulator = await startEmulator({
      apiKey: 'sk-test',
      script: [{ content: 'Paris is sunny today.' }],
    });
    onCleanup(() => emulator.close());
    const agent = new Agent({
      name: 'forecaster',
      client: new DeepSeek({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0 }),
    });
    const { url } = await serve(createMcpServer({ name: 'plumb', tools: [agent] }));
    const client = await sdkClient(url);
    const { tools } = await client.listTools();
    expect(tools).toMatchObject([
      { name: 'forecaster', inputSchema: { properties: { input: { type: 'string' } } } },
    ]);
    const answer = await client.callTool({ name: 'forecaster', arguments: { input: 'Weather in Paris?' } });
    expect(answer.content).toEqual([{ type: 'text', text: 'Paris is sunny today.' }]);
  });

  it('answers 404 to an unknown session and 401 when authorize refuses', async () => {
    const server = createMcpServer({ name: 'plumb', tools: [getWeather] });
    const endpoint = await server.listen({
      authorize: (request) => request.headers.authorization === 'Bearer ok',
    });
    onCleanup(() => endpoint.close());
    const unauthorized = await fetch(endpoint.url, { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);
    const unknown = await fetch(endpoint.url, {
      method: 'POST',
      headers: { authorization: 'Bearer ok', 'mcp-session-id': 'gone', 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(unknown.status).toBe(404);
  });
});

describe('the HTTP endpoint against DNS rebinding', () => {
  it('refuses a request whose Host or Origin is not a loopback address', async () => {
    const endpoint = await createMcpServer({ name: 'plumb', tools: [getWeather] }).listen();
    onCleanup(() => endpoint.close());
    const { port } = new URL(endpoint.url);
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        request.end('{}');
      });
    expect(await status({ host: 'evil.example:80' })).toBe(403);
    expect(await status({ host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).toBe(403);
    expect(await status({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).toBe(400); // reaches MCP
  });
});

describe('createMcpServer over stdio', () => {
  it('serves a child process the SDK client spawns', async () => {
    const fixture = fileURLToPath(new URL('./__fixtures__/stdio-server.ts', import.meta.url));
    const client = new Client({ name: 'stdio-client', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', '--conditions=@plumb/source', fixture],
        stderr: 'ignore',
      }),
    );
    onCleanup(() => client.close());
    const { tools } = await client.listTools();
    expect(tools.map((entry) => entry.name)).toEqual(['add']);
    const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
    expect(sum.content).toEqual([{ type: 'text', text: '{"sum":42}' }]);
  });
});
