import { inspect } from 'node:util';
import type { Emulator } from '@plumb/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BadRequestError,
  type ChatCompletionCreateParamsNonStreaming,
  ConfigError,
  DeepSeek,
  type DeepSeekModel,
  deepFreeze,
  PreflightError,
} from '../index.js';
import { clientFor, emulate, hello, TRANSPORTS, transportOptions, useTransport } from '../test-helpers.js';
import { APIPromise } from './api-promise.js';

let emulator: Emulator;

afterEach(() => {
  vi.unstubAllEnvs();
});

const model: DeepSeekModel = 'deepseek-flash';

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('DeepSeek client: chat.completions.create', () => {
    it('returns the completion and sends the params as one JSON body with a bearer key', async () => {
      emulator = await emulate({ script: [{ content: 'Hi there!', reasoning: 'A greeting.' }] });
      const completion = await clientFor().chat.completions.create(hello);
      expect(completion.object).toBe('chat.completion');
      expect(completion.choices[0]!.message).toEqual({
        role: 'assistant',
        content: 'Hi there!',
        reasoning_content: 'A greeting.',
      });
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(completion.usage?.prompt_cache_miss_tokens).toBeGreaterThan(0);
      const [request] = emulator.requests;
      expect(request).toMatchObject({ method: 'POST', path: '/chat/completions' });
      expect(request!.rawBody).toBe(JSON.stringify(hello));
      expect(request!.headers.authorization).toBe(`Bearer ****${emulator.apiKey.slice(-4)}`);
      expect(request!.headers['content-type']).toBe('application/json');
    });

    it('returns an APIPromise whose withResponse() has request id, status, headers and timing', async () => {
      emulator = await emulate({ script: [{ content: 'ok' }] });
      const promise = clientFor().chat.completions.create(hello);
      expect(promise).toBeInstanceOf(APIPromise);
      expect(promise).toBeInstanceOf(Promise);
      const result = await promise.withResponse();
      expect(result.status).toBe(200);
      expect(result.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(result.requestId).toBe(result.headers.get('x-ds-trace-id'));
      expect(result.timing).toMatchObject({ attempts: 1, queueMs: 0 });
      expect(result.timing.totalMs).toBeGreaterThan(0);
      expect(result.timing.firstChunkMs).toBeGreaterThan(0);
      expect(await promise).toEqual(result.data);
    });

    it('sends a prefix completion to the beta base URL by itself', async () => {
      emulator = await emulate({ script: [{ content: 'print("hi")' }] });
      await clientFor().chat.completions.create({
        model,
        thinking: { type: 'disabled' },
        messages: [
          { role: 'user', content: 'Python hello world' },
          { role: 'assistant', content: '```python\n', prefix: true },
        ],
      });
      expect(emulator.requests[0]!.path).toBe('/beta/chat/completions');
    });

    it('sends strict tools to the beta base URL by themselves, other requests to the base URL', async () => {
      emulator = await emulate({ script: [{ content: 'a' }, { content: 'b' }] });
      const parameters = {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      };
      const client = clientFor();
      await client.chat.completions.create({
        ...hello,
        tools: [{ type: 'function', function: { name: 'weather', parameters, strict: true } }],
      });
      await client.chat.completions.create({
        ...hello,
        tools: [{ type: 'function', function: { name: 'weather', parameters } }],
      });
      expect(emulator.requests.map((request) => request.path)).toEqual([
        '/beta/chat/completions',
        '/chat/completions',
      ]);
    });

    it('uses betaBaseURL when given, and derives /beta from an OpenAI-style /v1 base URL', async () => {
      emulator = await emulate({ script: [{ content: 'a' }, { content: 'b' }] });
      await clientFor({ baseURL: `${emulator.url}/v1` }).completions.create({ model, prompt: 'def f(' });
      await clientFor({ betaBaseURL: `${emulator.url}/beta/` }).completions.create({
        model,
        prompt: 'def f(',
      });
      expect(emulator.requests.map((request) => request.path)).toEqual([
        '/beta/completions',
        '/beta/completions',
      ]);
      expect(clientFor({ baseURL: `${emulator.url}/v1` }).betaBaseURL).toBe(`${emulator.url}/beta`);
    });

    it('tolerates unknown extra response fields', async () => {
      emulator = await emulate({ script: [{ content: 'ok', usage: { surprise_field: 7 } }] });
      const completion = await clientFor().chat.completions.create(hello);
      expect((completion.usage as unknown as Record<string, unknown>).surprise_field).toBe(7);
    });

    it('refuses stream: true in create() with a pointer to stream()', async () => {
      emulator = await emulate();
      const params = { ...hello, stream: true } as unknown as ChatCompletionCreateParamsNonStreaming;
      await expect(clientFor().chat.completions.create(params)).rejects.toThrow(
        /chat\.completions\.stream\(\)/,
      );
      expect(emulator.requests).toHaveLength(0);
    });
  });

  describe('DeepSeek client: pre-flight checks', () => {
    it('catches a request DeepSeek would reject before sending anything', async () => {
      emulator = await emulate();
      const params = {
        model,
        messages: [{ role: 'developer', content: 'x' }],
      } as unknown as ChatCompletionCreateParamsNonStreaming;
      const error = await clientFor()
        .chat.completions.create(params)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PreflightError);
      expect(error).toMatchObject({ rule: 'developer-role', field: 'messages[0].role' });
      expect(emulator.requests).toHaveLength(0);
    });

    it('can be turned off per request or per client, letting DeepSeek answer 400', async () => {
      emulator = await emulate();
      const params = {
        model,
        messages: [{ role: 'developer', content: 'x' }],
      } as unknown as ChatCompletionCreateParamsNonStreaming;
      await expect(clientFor().chat.completions.create(params, { preflight: false })).rejects.toBeInstanceOf(
        BadRequestError,
      );
      await expect(clientFor({ preflight: false }).chat.completions.create(params)).rejects.toThrow(
        /unknown variant `developer`/,
      );
      expect(emulator.requests).toHaveLength(2);
    });

    it('throws from stream() at once, before any request', async () => {
      emulator = await emulate();
      expect(() => clientFor().chat.completions.stream({ ...hello, max_tokens: 0 })).toThrow(PreflightError);
      expect(emulator.requests).toHaveLength(0);
    });
  });

  describe('DeepSeek client: configuration', () => {
    it('fails with a clear error before any request when there is no API key', async () => {
      emulator = await emulate();
      vi.stubEnv('DEEPSEEK_API_KEY', '');
      const client = new DeepSeek({ ...transportOptions(transport), baseURL: emulator.url });
      const error = await client.chat.completions.create(hello).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ field: 'apiKey' });
      expect((error as Error).message).toMatch(/pass `apiKey`.*DEEPSEEK_API_KEY/);
      expect(() => client.chat.completions.stream(hello)).toThrow(/DEEPSEEK_API_KEY/);
      expect(() => client.completions.stream({ model, prompt: 'x' })).toThrow(ConfigError);
      for (const call of [
        client.completions.create({ model, prompt: 'x' }),
        client.models.list(),
        client.user.balance(),
        client.request({ method: 'GET', path: '/models' }),
      ]) {
        await expect(call).rejects.toMatchObject({ name: 'ConfigError', field: 'apiKey' });
      }
      // A whitespace-only key counts as missing.
      const blank = new DeepSeek({ ...transportOptions(transport), apiKey: '  \n', baseURL: emulator.url });
      await expect(blank.models.list()).rejects.toMatchObject({ field: 'apiKey' });
      expect(emulator.requests).toHaveLength(0);
    });

    it('trims a key read with its line break, and rejects a key no header can carry without quoting it', async () => {
      emulator = await emulate({ script: [{ content: 'ok' }] });
      const trimmed = new DeepSeek({
        ...transportOptions(transport),
        apiKey: `${emulator.apiKey}\n`,
        baseURL: emulator.url,
        maxRetries: 0,
      });
      await expect(trimmed.chat.completions.create(hello)).resolves.toMatchObject({
        object: 'chat.completion',
      });
      for (const apiKey of ['sk-abc def0123456789', 'sk-“quoted0123456789”', 'sk-line\nbreak0123456789']) {
        let error: unknown;
        try {
          new DeepSeek({ apiKey });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect(error).toMatchObject({ field: 'apiKey' });
        expect((error as Error).message).toMatch(/Copy the key again/);
        expect((error as Error).message).not.toContain(apiKey);
        expect(JSON.stringify(error)).not.toContain('0123456789');
      }
    });

    it('reads DEEPSEEK_API_KEY and DEEPSEEK_BASE_URL from the environment', async () => {
      emulator = await emulate({ script: [{ content: 'ok' }] });
      vi.stubEnv('DEEPSEEK_API_KEY', emulator.apiKey);
      vi.stubEnv('DEEPSEEK_BASE_URL', emulator.url);
      const client = new DeepSeek({ maxRetries: 0 });
      expect(client.baseURL).toBe(emulator.url);
      await expect(client.chat.completions.create(hello)).resolves.toMatchObject({
        object: 'chat.completion',
      });
    });

    it('validates options, naming the option at fault', () => {
      expect(() => new DeepSeek({ apiKey: 'k', timeout: -1 })).toThrow(/`timeout`/);
      expect(() => new DeepSeek({ apiKey: 'k', maxRetries: 1.5 })).toThrow(/`maxRetries`/);
      expect(
        () => new DeepSeek({ ...transportOptions(transport), apiKey: 'k', baseURL: 'not a url' }),
      ).toThrow(/`baseURL`/);
      expect(() => new DeepSeek({ apiKey: 'k', idleTimeout: 0 })).toThrow(/`idleTimeout`/);
      expect(() => new DeepSeek({ apiKey: 'k', initialRetryDelayMs: -1 })).toThrow(/`initialRetryDelayMs`/);
      expect(() => new DeepSeek({ apiKey: 'k', fetch: 'no' as unknown as typeof fetch })).toThrow(
        /Expected `fetch` to be a function/,
      );
    });

    it('does not expose the API key through inspect or JSON', () => {
      const key = 'sk-inspect0123456789abcdef012345';
      const client = new DeepSeek({ apiKey: key });
      expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(key);
      expect(JSON.stringify(client)).not.toContain(key);
      expect(inspect(client.withOptions({ timeout: 5 }), { depth: 10 })).not.toContain(key);
    });

    it('withOptions keeps the key and changes the rest', async () => {
      emulator = await emulate({ script: [{ content: 'ok' }] });
      const client = clientFor().withOptions({ timeout: 12_345 });
      expect(client.timeout).toBe(12_345);
      await expect(client.chat.completions.create(hello)).resolves.toBeDefined();
    });

    it('sends defaultHeaders and per-request headers, a caller Authorization replacing ours', async () => {
      emulator = await emulate({ script: [{ content: 'a' }, { content: 'b' }] });
      const client = clientFor({ defaultHeaders: { 'X-Team': 'core' } });
      await client.chat.completions.create(hello, { headers: { 'X-Trace': 't1' } });
      await client.chat.completions
        .create(hello, { headers: { Authorization: 'Bearer sk-wrong-key-0000' } })
        .catch(() => {});
      expect(emulator.requests[0]!.headers).toMatchObject({ 'x-team': 'core', 'x-trace': 't1' });
      expect(emulator.requests[1]!.headers.authorization).toBe('Bearer ****0000');
    });

    it('merges deeply frozen per-request headers once, the same on every request, streamed or not', async () => {
      emulator = await emulate({
        script: [{ content: 'a' }, { content: 'b' }, { content: 'c' }, { content: 'd' }],
      });
      const client = clientFor({ defaultHeaders: { 'X-Team': 'core' } });
      const headers = deepFreeze({ 'X-Trace': 't1', 'X-Team': 'mine' });
      await client.chat.completions.create(hello, { headers });
      await client.chat.completions.stream(hello, { headers }).finalCompletion();
      await client.chat.completions.stream(hello, { headers }).finalCompletion();
      await client.chat.completions.create(hello, { headers });
      for (const request of emulator.requests) {
        expect(request.headers).toMatchObject({ 'x-team': 'mine', 'x-trace': 't1' });
      }
      expect(emulator.requests.map((request) => request.headers.accept)).toEqual([
        'application/json',
        'text/event-stream',
        'text/event-stream',
        'application/json',
      ]);
    });

    it('reads headers that are not frozen on every request, and checks frozen ones every time until valid', async () => {
      emulator = await emulate({ script: [{ content: 'a' }, { content: 'b' }] });
      const client = clientFor();
      const headers: Record<string, string> = { 'X-Trace': 't1' };
      await client.chat.completions.create(hello, { headers });
      headers['X-Trace'] = 't2';
      await client.chat.completions.create(hello, { headers });
      expect(emulator.requests.map((request) => request.headers['x-trace'])).toEqual(['t1', 't2']);
      const bad = deepFreeze({ 'X-Bad': 5 }) as unknown as Record<string, string>;
      expect(() => client.chat.completions.stream(hello, { headers: bad })).toThrow(/X-Bad/);
      expect(() => client.chat.completions.stream(hello, { headers: bad })).toThrow(/X-Bad/);
    });
  });

  describe('DeepSeek client: other endpoints', () => {
    it('completions.create and .stream do FIM on /beta/completions', async () => {
      emulator = await emulate({ script: [{ content: 'return a + b' }, { content: 'return a * b' }] });
      const client = clientFor();
      const fim = await client.completions.create({ model, prompt: 'def add(a, b):\n    ', suffix: '\n' });
      expect(fim.choices[0]).toMatchObject({ text: 'return a + b', finish_reason: 'stop' });
      const stream = client.completions.stream({ model, prompt: 'def mul(a, b):\n    ' });
      const pieces: string[] = [];
      for await (const chunk of stream) pieces.push(chunk.choices[0]?.text ?? '');
      expect(pieces.join('')).toBe('return a * b');
      expect((await stream.finalCompletion()).choices[0]).toMatchObject({
        text: 'return a * b',
        finish_reason: 'stop',
      });
      expect(emulator.requests.map((request) => request.path)).toEqual([
        '/beta/completions',
        '/beta/completions',
      ]);
    });

    it('models.list and user.balance', async () => {
      emulator = await emulate({ balance: { currency: 'USD', toppedUp: '12.50' } });
      const client = clientFor();
      const models = await client.models.list();
      expect(models.data.map((entry) => entry.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
      const balance = await client.user.balance();
      expect(balance.balance_infos[0]).toMatchObject({ currency: 'USD', topped_up_balance: '12.50' });
      expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'GET /models',
        'GET /user/balance',
      ]);
    });

    it('web.search and web.fetch call the standalone Search and Fetch APIs', async () => {
      emulator = await emulate({
        pages: { 'https://example.com/a': { title: 'A', content: '# A\n\nBody' } },
      });
      const client = clientFor();
      const search = await client.web.search({ query: 'deepseek v4', count: 3 });
      expect(search.results).toHaveLength(3);
      expect(search.results[0]).toMatchObject({ url: expect.stringMatching(/^https:/), authority: 'high' });
      const page = await client.web.fetch({ url: 'https://example.com/a' });
      expect(page).toMatchObject({ title: 'A', content: '# A\n\nBody', url: 'https://example.com/a' });
      expect(emulator.requests.map((request) => request.path)).toEqual([
        '/v1/tools/search',
        '/v1/tools/fetch',
      ]);
      await expect(client.web.search({ query: '' })).rejects.toBeInstanceOf(PreflightError);
    });

    it('request() reaches any endpoint with the same errors and options', async () => {
      emulator = await emulate();
      const client = clientFor();
      const models = await client.request<{ data: Array<{ id: string }> }>({
        method: 'GET',
        path: '/models',
        query: { limit: 5, skip: undefined },
      });
      expect(models.data.length).toBeGreaterThan(0);
      const model = await client.request<{ id: string }>({
        method: 'GET',
        path: '/models/deepseek-v4-pro',
        beta: true,
      });
      expect(model.id).toBe('deepseek-v4-pro');
      await expect(client.request({ method: 'GET', path: '/nowhere' })).rejects.toThrow(/404.*Check baseURL/);
      expect(emulator.requests.map((request) => request.path)).toEqual([
        '/models?limit=5',
        '/beta/models/deepseek-v4-pro',
        '/nowhere',
      ]);
    });
  });

  describe('DeepSeek client: request options', () => {
    it('rejects a signal that is not an AbortSignal with a ConfigError naming `signal`; nothing is sent', async () => {
      emulator = await emulate({ script: [{ content: 'never sent' }] });
      const client = clientFor();
      const notASignal = { aborted: 'no' } as unknown as AbortSignal;
      await expect(client.chat.completions.create(hello, { signal: notASignal })).rejects.toMatchObject({
        name: 'ConfigError',
        field: 'signal',
      });
      expect(() =>
        client.chat.completions.stream(hello, { signal: 'stop' as unknown as AbortSignal }),
      ).toThrow(/Expected `signal` to be an AbortSignal/);
      expect(emulator.requests).toHaveLength(0);
    });
  });
});
