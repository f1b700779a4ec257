import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { errorOf, send } from '../test-helpers.js';
import type { Emulator, EmulatorOptions } from '../types.js';

let emulator: Emulator;
async function start(options: EmulatorOptions = {}) {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(() => emulator?.close());

describe('Search API (/v1/tools/search)', () => {
  it('returns `count` generated results by default (10 when not given)', async () => {
    await start();
    const reply = await send(emulator, '/v1/tools/search', { query: 'deepseek v4 pricing', count: 3 });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ object: 'search.results', query: 'deepseek v4 pricing' });
    expect(reply.json.results).toHaveLength(3);
    expect(reply.json.results[0]).toEqual({
      title: expect.any(String),
      url: expect.stringMatching(/^https:\/\//),
      snippet: expect.any(String),
      summary: expect.any(String),
      rerank_score: expect.any(Number),
      authority: 'high',
      published_at: expect.any(String),
    });
    expect((await send(emulator, '/v1/tools/search', { query: 'x' })).json.results).toHaveLength(10);
  });

  it('serves results from options.search, capped at count', async () => {
    const hit = {
      title: 'T',
      url: 'https://a.example',
      snippet: 's',
      summary: 'm',
      rerank_score: 2.5,
      authority: 'medium',
    };
    await start({
      search: (query, request) =>
        Array.from({ length: 5 }, () => ({ ...hit, title: `${query}/${request.count}` })),
    });
    const reply = await send(emulator, '/v1/tools/search', { query: 'q', count: 2 });
    expect(reply.json.results).toEqual([
      { ...hit, title: 'q/2' },
      { ...hit, title: 'q/2' },
    ]);
  });

  it('validates query and count', async () => {
    await start();
    expect(errorOf(await send(emulator, '/v1/tools/search', { query: 'x'.repeat(129) })).message).toMatch(
      /maximum length 128/,
    );
    expect(errorOf(await send(emulator, '/v1/tools/search', { query: '' })).message).toMatch(/empty/);
    expect(errorOf(await send(emulator, '/v1/tools/search', { query: 'x', count: 51 })).message).toMatch(
      /\[1, 50\]/,
    );
    expect(errorOf(await send(emulator, '/v1/tools/search', {})).message).toMatch(/missing field `query`/);
    expect((await send(emulator, '/v1/tools/search', { query: 'x' }, { apiKey: 'sk-nope' })).status).toBe(
      401,
    );
  });
});

describe('Fetch API (/v1/tools/fetch)', () => {
  it('returns configured pages as markdown, titled from the first heading', async () => {
    await start({
      pages: {
        'https://docs.example/a': '# Alpha\n\nBody.',
        'https://docs.example/b': { title: 'Beta', content: 'B' },
      },
    });
    const alpha = await send(emulator, '/v1/tools/fetch', { url: 'https://docs.example/a' });
    expect(alpha.json).toMatchObject({
      object: 'fetch.result',
      url: 'https://docs.example/a',
      title: 'Alpha',
      content: '# Alpha\n\nBody.',
    });
    expect((await send(emulator, '/v1/tools/fetch', { url: 'https://docs.example/b' })).json.title).toBe(
      'Beta',
    );
    const missing = await send(emulator, '/v1/tools/fetch', { url: 'https://docs.example/c' });
    expect(missing.status).toBe(400);
    expect(errorOf(missing).message).toContain('https://docs.example/c');
  });

  it('generates a page when none are configured, and supports a page function', async () => {
    await start();
    expect((await send(emulator, '/v1/tools/fetch', { url: 'https://x.example/p' })).json.content).toContain(
      'x.example',
    );
    expect(errorOf(await send(emulator, '/v1/tools/fetch', { url: 'ftp://x' })).message).toMatch(
      /http\(s\) URL/,
    );
    await emulator.close();
    await start({ pages: async (url) => (url.endsWith('/ok') ? 'fine' : undefined) });
    expect((await send(emulator, '/v1/tools/fetch', { url: 'https://x.example/ok' })).json.content).toBe(
      'fine',
    );
    expect((await send(emulator, '/v1/tools/fetch', { url: 'https://x.example/no' })).status).toBe(400);
  });
});
