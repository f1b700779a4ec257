import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, DeepSeek } from '../index.js';
import { lazyModule } from '../internal/optional-module.js';
import { clientFor, emulate, hello } from '../test-helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('openai-node conventions', () => {
  it('withResponse() gives { data, response, request_id } and the data carries a hidden _request_id', async () => {
    await emulate({ script: [{ content: 'ok' }] });
    const result = await clientFor().chat.completions.create(hello).withResponse();
    expect(result.response).toBeInstanceOf(Response);
    expect(result.response.status).toBe(200);
    expect(result.request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(result.request_id).toBe(result.requestId);
    expect(result.data._request_id).toBe(result.request_id);
    // Not enumerable: a serialized completion stays the wire shape.
    expect(Object.keys(result.data)).not.toContain('_request_id');
    expect(JSON.stringify(result.data)).not.toContain('_request_id');
  });

  it('an awaited call has _request_id too', async () => {
    await emulate({ script: [{ content: 'ok' }] });
    const completion = await clientFor().chat.completions.create(hello);
    expect(completion._request_id).toMatch(/^[0-9a-f]{32}$/);
    const models = await clientFor().models.list();
    expect(models._request_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('asResponse() gives a Response whose body can be read', async () => {
    await emulate({ script: [{ content: 'from the body' }] });
    const response = await clientFor().chat.completions.create(hello).asResponse();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ds-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toBe('from the body');
  });

  it('defaultQuery is added to every URL, also one that has a query already', async () => {
    const emulator = await emulate({ script: [{ content: 'ok' }] });
    const client = clientFor({ defaultQuery: { 'api-version': '2026-01', skip: undefined } });
    await client.chat.completions.create(hello);
    await client.request({ method: 'GET', path: '/models', query: { limit: 2 } });
    expect(emulator.requests.map((request) => request.path)).toEqual([
      '/chat/completions?api-version=2026-01',
      '/models?limit=2&api-version=2026-01',
    ]);
  });

  it('fetchOptions reach fetch, per call over the client, and never replace method, body or signal', async () => {
    await emulate({ script: [{ content: 'ok' }, { content: 'ok' }] });
    const seen: RequestInit[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(init ?? {});
      return globalThis.fetch(input, init);
    };
    const client = clientFor({
      fetch: recording,
      fetchOptions: { keepalive: false, method: 'GET', referrerPolicy: 'no-referrer' },
    });
    await client.chat.completions.create(hello);
    await client.chat.completions.create(hello, { fetchOptions: { referrerPolicy: 'origin' } });
    expect(seen[0]).toMatchObject({ keepalive: false, method: 'POST', referrerPolicy: 'no-referrer' });
    expect(seen[1]).toMatchObject({ keepalive: false, method: 'POST', referrerPolicy: 'origin' });
    expect(typeof seen[0]!.body).toBe('string');
    expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('checks fetchOptions and defaultQuery when the client is built', () => {
    expect(() => new DeepSeek({ apiKey: 'sk-fake', fetchOptions: 'proxy' as never })).toThrow(ConfigError);
    expect(() => new DeepSeek({ apiKey: 'sk-fake', defaultQuery: [] as never })).toThrow(/defaultQuery/);
  });
});

describe('logLevel', () => {
  it('turns on a pino logger at that level, beside PLUMB_LOG', async () => {
    const client = new DeepSeek({ apiKey: 'sk-fake', logLevel: 'warn' });
    expect(client.logger.isLevelEnabled?.('warn')).toBe(true);
    expect(client.logger.isLevelEnabled?.('info')).toBe(false);
    await (client.logger as { ready?: Promise<void> }).ready;
  });

  it("'silent' wins over PLUMB_LOG, and a level overrides it", () => {
    vi.stubEnv('PLUMB_LOG', 'debug');
    expect(new DeepSeek({ apiKey: 'sk-fake' }).logger.isLevelEnabled?.('debug')).toBe(true);
    expect(new DeepSeek({ apiKey: 'sk-fake', logLevel: 'silent' }).logger.isLevelEnabled?.('error')).toBe(
      false,
    );
    expect(new DeepSeek({ apiKey: 'sk-fake', logLevel: 'error' }).logger.isLevelEnabled?.('debug')).toBe(
      false,
    );
  });

  it('an unknown level is a ConfigError naming logLevel', () => {
    expect(() => new DeepSeek({ apiKey: 'sk-fake', logLevel: 'verbose' as never })).toThrow(
      expect.objectContaining({ field: 'logLevel' }),
    );
  });
});

describe('optional peer dependencies', () => {
  it('a missing package becomes a ConfigError naming it and how to install it', async () => {
    const load = lazyModule(
      { name: 'plumb-no-such-package', field: 'logLevel', feature: 'Logging' },
      // A literal specifier that resolves nowhere, as pino does when it is not installed.
      () => import('plumb-no-such-package' as string),
    );
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'logLevel' });
    expect((error as Error).message).toContain('npm install plumb-no-such-package');
    expect((error as Error).message).toContain('optional peer dependency');
  });
});
