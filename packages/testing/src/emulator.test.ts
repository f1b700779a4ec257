import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import { chat, chatBody, errorOf, PNG, send } from './test-helpers.js';
import type { Emulator, EmulatorOptions } from './types.js';

const hasIpv6 = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

let emulator: Emulator;
async function start(options: EmulatorOptions = {}) {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(() => emulator?.close());

describe('startEmulator', () => {
  it('listens on a free loopback port and exposes url, port and apiKey', async () => {
    await start({ apiKey: 'sk-unit-1234' });
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.apiKey).toBe('sk-unit-1234');
  });

  it.skipIf(!hasIpv6)(
    'listens on the IPv6 loopback when asked (skipped: no ::1 on this machine)',
    async () => {
      const ipv6 = await startEmulator({ host: '::1' });
      try {
        expect(ipv6.url).toBe(`http://[::1]:${ipv6.port}`);
        expect((await chat(ipv6)).status).toBe(200);
      } finally {
        await ipv6.close();
      }
    },
  );

  it('rejects bad options with a message naming the option', async () => {
    await expect(startEmulator({ port: -1 })).rejects.toThrow(/`port`/);
    await expect(startEmulator({ apiKey: '' })).rejects.toThrow(/`apiKey`/);
    await expect(startEmulator({ concurrencyLimit: 0 })).rejects.toThrow(/`concurrencyLimit`/);
    await expect(startEmulator({ script: 'hello' as never })).rejects.toThrow(/`script`/);
    await expect(startEmulator({ maxLoggedRequests: -1 })).rejects.toThrow(/`maxLoggedRequests`/);
    await expect(startEmulator({ contextWindow: 0 })).rejects.toThrow(/`contextWindow`/);
  });

  it('serves dozens of concurrent requests without an EventTarget listener-leak warning', async () => {
    await start({ script: () => ({ content: 'a b c', fault: { chunkDelayMs: 25 } }) });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const replies = await Promise.all(
        Array.from({ length: 40 }, () => chat(emulator, { stream: true, thinking: { type: 'disabled' } })),
      );
      expect(replies.every((reply) => reply.status === 200 && reply.text.endsWith('data: [DONE]\n\n'))).toBe(
        true,
      );
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});

describe('authentication', () => {
  it('answers the header-format 401 when the Authorization header is missing or malformed', async () => {
    await start();
    for (const headers of [{}, { authorization: 'sk-test' }, { authorization: 'Bearer ' }]) {
      const reply = await send(emulator, '/chat/completions', chatBody(), { apiKey: null, headers });
      expect(reply.status).toBe(401);
      expect(reply.json.error).toEqual({
        message: 'Authentication Fails (auth header format should be Bearer sk-...)',
        type: 'authentication_error',
        param: null,
        code: 'invalid_request_error',
      });
    }
  });

  it('names only the last four characters of a wrong key', async () => {
    await start();
    const reply = await send(emulator, '/models', undefined, { apiKey: 'sk-wrong-key-9f3a' });
    expect(reply.status).toBe(401);
    expect(errorOf(reply).message).toBe('Authentication Fails, Your api key: ****9f3a is invalid');
    expect(reply.text).not.toContain('sk-wrong');
  });
});

describe('request log', () => {
  it('records every request in order, rejected ones included, with the key redacted', async () => {
    await start({ apiKey: 'sk-secret-abcd' });
    await send(emulator, '/chat/completions', chatBody(), { apiKey: 'sk-secret-abcd' });
    await send(emulator, '/chat/completions', '{"broken', { apiKey: 'sk-secret-abcd' });
    await send(emulator, '/nowhere', undefined, { apiKey: 'sk-secret-abcd' });
    expect(
      emulator.requests.map((request) => [request.index, request.method, request.path, request.status]),
    ).toEqual([
      [0, 'POST', '/chat/completions', 200],
      [1, 'POST', '/chat/completions', 400],
      [2, 'GET', '/nowhere', 404],
    ]);
    expect(emulator.requests[0]?.headers.authorization).toBe('Bearer ****abcd');
    expect(emulator.requests[0]?.body).toEqual(chatBody());
    expect(emulator.requests[1]?.rawBody).toBe('{"broken');
    expect(emulator.requests[1]?.body).toBeUndefined();
    expect(JSON.stringify(emulator.requests)).not.toContain('sk-secret-abcd');
  });

  it('keeps only the last maxLoggedRequests requests; indexes keep counting until reset()', async () => {
    const seen: number[][] = [];
    await start({
      maxLoggedRequests: 2,
      script: (_request, context) => {
        seen.push(context.requests.map((request) => request.index));
        return { content: 'ok' };
      },
    });
    for (let count = 0; count < 4; count++) await chat(emulator);
    expect(emulator.requests.map((request) => request.index)).toEqual([2, 3]);
    expect(seen).toEqual([[0], [0, 1], [1, 2], [2, 3]]);
    emulator.reset();
    await chat(emulator);
    expect(emulator.requests.map((request) => request.index)).toEqual([0]);
    const silent = await startEmulator({ maxLoggedRequests: 0 });
    try {
      expect((await chat(silent)).status).toBe(200);
      expect(silent.requests).toEqual([]);
    } finally {
      await silent.close();
    }
  });
  it('reset() empties the prompt cache and the uploaded files', async () => {
    await start();
    const long = 'x '.repeat(400);
    const messages = [{ role: 'user', content: long }];
    await chat(emulator, { messages });
    expect((await chat(emulator, { messages })).json.usage.prompt_cache_hit_tokens).toBeGreaterThan(0);
    const form = new FormData();
    form.append('purpose', 'user_data');
    form.append('file', new Blob([new Uint8Array(PNG)]), 'dot.png');
    await fetch(`${emulator.url}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiKey}` },
      body: form,
    });
    expect((await send(emulator, '/files')).json.data).toHaveLength(1);
    emulator.reset();
    expect((await chat(emulator, { messages })).json.usage.prompt_cache_hit_tokens).toBe(0);
    expect((await send(emulator, '/files')).json.data).toEqual([]);
  });

  it('fails to start, not at the first request, when the cassette cannot be read', async () => {
    await expect(startEmulator({ cassette: '/nonexistent/plumb-cassette.json' })).rejects.toThrow();
  });
});

describe('routes', () => {
  it('serves chat under /, /v1 and /beta', async () => {
    await start();
    for (const path of ['/chat/completions', '/v1/chat/completions', '/beta/chat/completions']) {
      expect((await chat(emulator, {}, path)).status).toBe(200);
    }
  });

  it('answers 404 for FIM outside /beta (naming the beta path) and for unknown paths, 405 for wrong methods', async () => {
    await start();
    for (const path of ['/completions', '/v1/completions']) {
      const reply = await send(emulator, path, { model: 'deepseek-flash', prompt: 'x' });
      expect(reply.status).toBe(404);
      expect(reply.json.error).toEqual({
        message:
          'FIM completion is a beta feature: send it to `/beta/completions` (base URL https://api.deepseek.com/beta).',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request_error',
      });
    }
    const unknown = await send(emulator, '/v2/chat/completions', { model: 'deepseek-flash', prompt: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ message: 'Not Found', code: 'invalid_request_error' });
    expect(unknown.headers.get('x-ds-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect((await send(emulator, '/chat/completions')).status).toBe(405);
    expect(emulator.turnsServed()).toBe(0);
  });

  it('lists models in the rich late-2026 shape (no created, no legacy names)', async () => {
    await start();
    for (const path of ['/models', '/v1/models']) {
      const reply = await send(emulator, path);
      expect(reply.status).toBe(200);
      expect(reply.json.object).toBe('list');
      expect(reply.json.data.map((model: any) => model.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
      expect(reply.json.data[0]).toMatchObject({
        object: 'model',
        owned_by: 'deepseek',
        name: 'DeepSeek-V4.1-Flash',
        context_window: 1_048_576,
        max_output_tokens: 393_216,
        input_modalities: ['text', 'image'],
        effort: { supported_levels: ['low', 'high', 'max'], default_level: 'high' },
      });
      expect(reply.json.data[0]).not.toHaveProperty('created');
    }
    expect((await send(emulator, '/models/deepseek-v4-pro')).json.id).toBe('deepseek-v4-pro');
    expect((await send(emulator, '/models/deepseek-chat')).status).toBe(404);
  });

  it('reports the balance with decimal-string amounts', async () => {
    await start({ balance: { currency: 'USD', granted: '1.50', toppedUp: '8.25' } });
    const reply = await send(emulator, '/user/balance');
    expect(reply.text).toBe(
      '{"is_available":true,"balance_infos":[{"currency":"USD","total_balance":"9.75","granted_balance":"1.50","topped_up_balance":"8.25"}]}',
    );
  });

  it("answers openresty's HTML 413 for a body over the size limit", async () => {
    await start({ maxBodyBytes: 1000 });
    const reply = await chat(emulator, { messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    expect(reply.status).toBe(413);
    expect(reply.headers.get('content-type')).toBe('text/html');
    expect(reply.text).toContain('<hr><center>openresty</center>');
    expect(emulator.requests[0]?.status).toBe(413);
  });
});
