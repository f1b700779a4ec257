import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, errorOf, send } from '../test-helpers.js';
import type { Cassette, Emulator } from '../types.js';
import { loadCassette } from './cassette.js';
import { type Recorder, startRecorder } from './recorder.js';

const REAL_KEY = 'sk-real-secret-key-7777';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The recorder's upstream: refuses anything but loopback, so the test never leaves the machine. */
const loopbackFetch: typeof fetch = (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`test tried to reach ${url.host}`);
  return fetch(input, init);
};

let directory: string;
let cassettePath: string;
let upstream: Emulator | undefined;
let recorder: Recorder | undefined;
let replay: Emulator | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'plumb-cassette-'));
  cassettePath = join(directory, 'nested', 'weather.json');
});
afterEach(async () => {
  await Promise.all([upstream?.close(), recorder?.close(), replay?.close()]);
  upstream = recorder = replay = undefined;
  await rm(directory, { recursive: true, force: true });
});

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];

async function exercise(client: OpenAI) {
  const completion = await client.chat.completions.create({ model: 'deepseek-flash', messages });
  const stream = await client.chat.completions.create({ model: 'deepseek-flash', messages, stream: true });
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const models = await client.models.list();
  return { completion, chunks, models: models.data };
}

describe('record and replay', () => {
  it('records real exchanges with the key redacted, then replays them offline', async () => {
    upstream = await startEmulator({
      apiKey: REAL_KEY,
      script: [{ content: 'Sunny, 21C.' }, { content: 'Sunny, streamed.', reasoning: 'Think.' }],
    });
    recorder = await startRecorder({
      target: upstream.url,
      apiKey: REAL_KEY,
      cassette: cassettePath,
      fetch: loopbackFetch,
    });
    const live = await exercise(
      new OpenAI({ apiKey: 'sk-anything', baseURL: recorder.url, maxRetries: 0, logger: silent }),
    );
    await recorder.close();

    expect(upstream.requests.every((request) => request.headers.authorization === 'Bearer ****7777')).toBe(
      true,
    );
    const file = await readFile(cassettePath, 'utf8');
    expect(file).not.toContain(REAL_KEY);
    expect(file).not.toContain('sk-anything');
    const cassette = JSON.parse(file) as Cassette;
    expect(
      cassette.interactions.map((interaction) => [
        interaction.request.method,
        interaction.request.path,
        interaction.response.status,
      ]),
    ).toEqual([
      ['POST', '/chat/completions', 200],
      ['POST', '/chat/completions', 200],
      ['GET', '/models', 200],
    ]);
    expect(cassette.interactions[1]?.response.chunks?.at(-1)).toBe('data: [DONE]\n\n');
    expect(cassette.interactions[0]?.response.headers['x-ds-trace-id']).toMatch(/^[0-9a-f]{32}$/);

    replay = await startEmulator({ cassette: cassettePath });
    const replayed = await exercise(
      new OpenAI({ apiKey: replay.apiKey, baseURL: replay.url, maxRetries: 0, logger: silent }),
    );
    expect(replayed.completion).toEqual(live.completion);
    expect(replayed.chunks).toEqual(live.chunks);
    expect(replayed.models).toEqual(live.models);
    replay.assertDone();
  });

  it('fails loudly on a request the cassette does not hold', async () => {
    const cassette: Cassette = {
      version: 1,
      interactions: [
        {
          request: {
            method: 'POST',
            path: '/chat/completions',
            body: { model: 'deepseek-flash', messages: [{ role: 'user', content: 'Hi' }] },
          },
          response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' },
        },
      ],
    };
    replay = await startEmulator({ cassette });
    const reply = await chat(replay, { messages: [{ role: 'user', content: 'Hello' }] });
    expect(reply.status).toBe(400);
    expect(errorOf(reply).type).toBe('emulator_cassette_mismatch');
    expect(errorOf(reply).message).toContain('body.messages[0].content: expected "Hi", got "Hello"');
    expect(replay.failures).toHaveLength(1);
    expect(() => replay!.assertDone()).toThrow(/1 of 1 cassette interaction\(s\) were not replayed/);
    expect((await chat(replay)).text).toBe('{"ok":true}');
    const again = await chat(replay);
    expect(errorOf(again).message).toContain('all 1 recorded interaction(s) were already replayed');
  });

  it('keeps the key out of recorded paths and bodies too', async () => {
    upstream = await startEmulator({ apiKey: REAL_KEY });
    recorder = await startRecorder({ target: upstream.url, apiKey: REAL_KEY, cassette: cassettePath });
    expect((await send(recorder, `/models?probe=${REAL_KEY}`)).status).toBe(200);
    expect(upstream.requests[0]?.path).toBe(`/models?probe=${REAL_KEY}`);
    await chat(recorder, { messages: [{ role: 'user', content: `my key is ${REAL_KEY}` }] });
    await recorder.close();
    const file = await readFile(cassettePath, 'utf8');
    expect(file).not.toContain(REAL_KEY);
    expect(file).toContain('/models?probe=****7777');
    expect(JSON.stringify(recorder.requests)).not.toContain(REAL_KEY);
  });

  it('keeps the key out in its JSON-escaped and percent-encoded forms too', async () => {
    upstream = await startEmulator({ apiKey: REAL_KEY });
    recorder = await startRecorder({ target: upstream.url, apiKey: REAL_KEY, cassette: cassettePath });
    const escaped = [...REAL_KEY]
      .map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    const body = `{"model":"deepseek-flash","messages":[{"role":"user","content":"key ${escaped} and sk\\u002Dreal-secret-key-7777"}]}`;
    expect(JSON.parse(body).messages[0].content).toContain(REAL_KEY);
    expect((await send(recorder, '/chat/completions', body)).status).toBe(200);
    expect((await send(recorder, `/models?probe=${encodeURIComponent(REAL_KEY)}`)).status).toBe(200);
    await recorder.close();
    const file = await readFile(cassettePath, 'utf8');
    expect(file).not.toContain(REAL_KEY);
    expect(file.toLowerCase()).not.toContain(escaped.slice(0, 30));
    expect(JSON.stringify(JSON.parse(file))).not.toContain(REAL_KEY);
    expect(JSON.stringify(recorder.requests)).not.toContain(REAL_KEY);
    expect(recorder.requests[0]?.body.messages[0].content).toContain('****7777');
  });

  it('answers 502 when the upstream cannot be reached, without leaking the key', async () => {
    recorder = await startRecorder({
      target: 'http://127.0.0.1:9',
      apiKey: REAL_KEY,
      cassette: cassettePath,
      fetch: async () => {
        throw new Error(`connect refused (key ${REAL_KEY})`);
      },
    });
    const reply = await chat(recorder);
    expect(reply.status).toBe(502);
    expect(reply.text).not.toContain(REAL_KEY);
  });

  it('needs a key and a valid cassette', async () => {
    const saved = process.env.DEEPSEEK_API_KEY;
    delete process.env.DEEPSEEK_API_KEY;
    try {
      await expect(startRecorder({ cassette: cassettePath })).rejects.toThrow(/needs `apiKey`/);
    } finally {
      if (saved !== undefined) process.env.DEEPSEEK_API_KEY = saved;
    }
    expect(() => loadCassette({ interactions: [] } as never)).toThrow(/not a plumb cassette/);
  });
});
