import { inspect } from 'node:util';
import type { Emulator } from '@plumb/testing';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeepSeek } from '../index.js';
import { emulate, hello, TRANSPORTS, transportOptions, useTransport } from '../test-helpers.js';

const KEY = 'sk-fake-logtest0123456789abcdef01234567';

let emulator: Emulator;

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A pino logger at debug level writing JSON lines into an array. */
function capture(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const out: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => out.push(line) });
  return {
    logger,
    lines: () => out.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => out.join(''),
  };
}

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('logging', () => {
    it('logs requests, retries and failures through the given pino logger, never the API key', async () => {
      emulator = await emulate({
        apiKey: KEY,
        faults: [{ status: 429, headers: { 'retry-after-ms': '0' }, times: 1, match: '/chat/completions' }],
        script: [{ content: 'hello' }, { content: 'streamed' }],
      });
      const { logger, lines, text } = capture();
      const client = new DeepSeek({
        ...transportOptions(transport),
        apiKey: KEY,
        baseURL: emulator.url,
        maxRetries: 1,
        logger,
      });
      await client.chat.completions.create(hello);
      await client.chat.completions.stream(hello).finalCompletion();
      const wrongKey = 'sk-fake-wrongkey9876543210fedcba98765432';
      const wrong = new DeepSeek({
        ...transportOptions(transport),
        apiKey: wrongKey,
        baseURL: emulator.url,
        maxRetries: 0,
        logger,
      });
      const error = await wrong.models.list().catch((caught: unknown) => caught);

      const entries = lines();
      const retry = entries.find((entry) => entry.msg === 'deepseek request failed, retrying');
      expect(retry).toMatchObject({
        level: 40,
        method: 'POST',
        path: '/chat/completions',
        status: 429,
        attempt: 1,
      });
      const done = entries.filter((entry) => entry.msg === 'deepseek request');
      expect(done).toHaveLength(2);
      expect(done[0]).toMatchObject({
        level: 30,
        status: 200,
        attempts: 2,
        requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(done[0]!.usage).toMatchObject({ prompt_tokens: expect.any(Number) });
      expect(done[0]!.timing).toMatchObject({ attempts: 2 });
      expect(done[1]).toMatchObject({
        path: '/chat/completions',
        attempts: 1,
        requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(
        entries.filter((entry) => entry.msg === 'deepseek request attempt').map((entry) => entry.attempt),
      ).toEqual([1, 2, 1, 1]);
      expect(entries.find((entry) => entry.msg === 'deepseek request failed')).toMatchObject({
        status: 401,
        path: '/models',
      });

      for (const secret of [KEY, wrongKey]) {
        expect(text()).not.toContain(secret);
        expect(String((error as Error).message)).not.toContain(secret);
        expect(JSON.stringify(error)).not.toContain(secret);
        expect(inspect(error, { depth: 10 })).not.toContain(secret);
      }
      expect(text()).not.toMatch(/Bearer/i);
      expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(KEY);
    });

    it('warns when sampling settings are sent in thinking mode', async () => {
      emulator = await emulate({ script: [{ content: 'ok' }] });
      const { logger, lines } = capture();
      const client = new DeepSeek({
        ...transportOptions(transport),
        apiKey: emulator.apiKey,
        baseURL: emulator.url,
        logger,
      });
      await client.chat.completions.create({ ...hello, temperature: 0.1 });
      expect(lines().find((entry) => entry.level === 40)).toMatchObject({
        fields: ['temperature'],
        msg: expect.stringMatching(/ignores temperature/),
      });
    });

    it('is silent by default, and PLUMB_LOG turns a logger on', () => {
      vi.stubEnv('PLUMB_LOG', '');
      expect(new DeepSeek({ apiKey: 'k' }).logger.isLevelEnabled?.('warn')).toBe(false);
      vi.stubEnv('PLUMB_LOG', 'debug');
      expect(new DeepSeek({ apiKey: 'k' }).logger.isLevelEnabled?.('debug')).toBe(true);
      vi.stubEnv('PLUMB_LOG', 'warn');
      const logger = new DeepSeek({ apiKey: 'k' }).logger;
      expect([logger.isLevelEnabled?.('info'), logger.isLevelEnabled?.('warn')]).toEqual([false, true]);
    });
  });
});
