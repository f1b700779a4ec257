import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeepSeek } from '@plumb/core';
import { type Emulator, startEmulator } from '@plumb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepseekWebPack, PackConfigError } from './index.js';

const API_KEY = 'sk-packs-test-0123456789abcdef';
let emulator: Emulator;
let client: DeepSeek;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    apiKey: API_KEY,
    search: (query, { count }) =>
      Array.from({ length: count }, (_, index) => ({
        title: `${query} #${index + 1}`,
        url: `https://docs.example/${index + 1}`,
        snippet: 'snippet',
        summary: 'summary',
        rerank_score: 2.5,
        authority: 'high',
      })),
    pages: { 'https://docs.example/1': { title: 'Doc one', content: '# Doc one\n\nBody text.' } },
  });
  client = new DeepSeek({ apiKey: API_KEY, baseURL: emulator.url, maxRetries: 0 });
});

afterAll(async () => {
  await emulator.close();
});

const tools = () => deepseekWebPack({ client, defaultCount: 3 }).tools;
const call = (index: number, args: unknown) =>
  tools()[index]!.invoke({ id: 'call_00_web', function: { arguments: JSON.stringify(args) } });

describe('deepseekWebPack (against the emulator)', () => {
  it('defines web_search and web_fetch', () => {
    const [search, fetch] = tools();
    expect(search!.definition.function).toMatchObject({
      name: 'web_search',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1, maxLength: 128 },
          count: { type: 'integer', maximum: 20 },
        },
        required: ['query'],
      },
    });
    expect(fetch!.definition.function).toMatchObject({
      name: 'web_fetch',
      parameters: { required: ['url'] },
    });
  });

  it('web_search calls POST /v1/tools/search with the query and the default count', async () => {
    const outcome = await call(0, { query: 'plumb agents site:docs.example' });
    expect(outcome.ok).toBe(true);
    const value = JSON.parse(outcome.content);
    expect(value.query).toBe('plumb agents site:docs.example');
    expect(value.results).toHaveLength(3);
    expect(value.results[0]).toMatchObject({
      title: 'plumb agents site:docs.example #1',
      url: 'https://docs.example/1',
    });
    const request = emulator.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/tools/search' });
    expect(request.body).toEqual({ query: 'plumb agents site:docs.example', count: 3 });
  });

  it('web_fetch returns the page as Markdown with a short header', async () => {
    const outcome = await call(1, { url: 'https://docs.example/1' });
    expect(outcome.content).toBe('URL: https://docs.example/1\nTitle: Doc one\n\n# Doc one\n\nBody text.');
    expect(emulator.requests.at(-1)).toMatchObject({
      path: '/v1/tools/fetch',
      body: { url: 'https://docs.example/1' },
    });
  });

  it('turns API errors and bad arguments into model-readable results, without the key', async () => {
    const missing = await call(1, { url: 'https://docs.example/missing' });
    expect(missing.ok).toBe(false);
    expect(missing.content).toContain('https://docs.example/missing');
    expect(missing.content).not.toContain(API_KEY);
    const notUrl = await call(1, { url: 'file:///etc/passwd' });
    expect(notUrl.ok).toBe(false);
    expect(notUrl.content).toContain('http(s) URL');
    const tooMany = await call(0, { query: 'x', count: 21 });
    expect(tooMany.ok).toBe(false);
    expect(tooMany.content).toContain('count');
    const empty = await call(0, { query: '' });
    expect(empty.ok).toBe(false);
  });

  it('fails with a readable message when the key is wrong', async () => {
    const wrong = new DeepSeek({
      apiKey: 'sk-wrong-key-000000000000000000',
      baseURL: emulator.url,
      maxRetries: 0,
    });
    const outcome = await deepseekWebPack({ client: wrong }).tools[0]!.invoke({
      id: 'call_00_web',
      function: { arguments: '{"query":"x"}' },
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.content).toMatch(/401|[Aa]uthentication/);
    expect(outcome.content).not.toContain('sk-wrong-key-000000000000000000');
  });

  it("passes the call's signal on: aborting the run closes the request to DeepSeek", async () => {
    // A loopback stand-in for the API that never answers, counting closed connections.
    let opened = 0;
    let closed = 0;
    const hanging = createServer((request) => {
      opened++;
      request.socket.once('close', () => {
        closed++;
      });
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const slow = new DeepSeek({
        apiKey: API_KEY,
        baseURL: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`,
        maxRetries: 0,
      });
      const [search, fetch] = deepseekWebPack({ client: slow }).tools;
      for (const [target, args] of [
        [search!, { query: 'x' }],
        [fetch!, { url: 'https://docs.example/1' }],
      ] as const) {
        const controller = new AbortController();
        const before = { opened, closed };
        const pending = target.invoke(
          { id: 'call_00_web', function: { arguments: JSON.stringify(args) } },
          { signal: controller.signal },
        );
        await waitFor(() => opened > before.opened);
        controller.abort(new Error('run aborted'));
        expect((await pending).ok).toBe(false);
        await waitFor(() => closed > before.closed);
        expect(closed, target.name).toBe(before.closed + 1);
      }
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('checks its options when built', () => {
    expect(() => deepseekWebPack({ client: {} as never })).toThrow(PackConfigError);
    expect(() => deepseekWebPack({ client, maxCount: 51 })).toThrow(/50/);
    expect(() => deepseekWebPack({ client, defaultCount: 30 })).toThrow(PackConfigError);
  });
});

/** Polls a condition (at most 100 times, 10 ms apart). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
