import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, chatBody, chunksOf, dataPayloads, errorOf, send } from '../test-helpers.js';
import type { Emulator, EmulatorOptions } from '../types.js';

let emulator: Emulator;
async function start(options: EmulatorOptions) {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(() => emulator?.close());

const stream = { stream: true, thinking: { type: 'disabled' } };

function post(body: Record<string, unknown>, signal?: AbortSignal) {
  return fetch(`${emulator.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    body: JSON.stringify(chatBody(body)),
    ...(signal ? { signal } : {}),
  });
}

/** Reads SSE `data:` events until `count` arrived; then checks whether more arrives soon. */
async function readEvents(
  response: Response,
  count: number,
): Promise<{ events: string[]; stalled: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (dataPayloads(text).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const next = reader.read().then(() => 'more');
  next.catch(() => undefined);
  const outcome = await Promise.race([
    next,
    new Promise((resolve) => setTimeout(() => resolve('stalled'), 50)),
  ]);
  await reader.cancel().catch(() => undefined);
  return { events: dataPayloads(text), stalled: outcome === 'stalled' };
}

describe('status faults', () => {
  it.each([
    [
      429,
      'rate_limit_error',
      /^Too many requests\. Your current concurrency is 26, which exceeds your concurrency limit of 25 based on your remaining balance\./,
    ],
    [402, 'unknown_error', /^Insufficient Balance$/],
    [500, 'unknown_error', /^Server Error/],
    [503, 'unknown_error', /^Server Overloaded/],
    [401, 'authentication_error', /^Authentication Fails \(no such user\)$/],
  ])('answers %i with DeepSeek text and type', async (status, type, message) => {
    await start({ faults: [{ status }] });
    const reply = await chat(emulator);
    expect(reply.status).toBe(status);
    expect(reply.json.error).toMatchObject({
      type,
      message: expect.stringMatching(message),
      param: null,
      code: 'invalid_request_error',
    });
    expect(reply.headers.get('x-ds-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(emulator.requests[0]?.status).toBe(status);
  });

  it('sends the openresty HTML page for 413, and an octet-stream 400 when asked', async () => {
    await start({
      faults: [
        { status: 413, times: 1 },
        { status: 400, contentType: 'application/octet-stream', times: 1 },
      ],
    });
    const html = await chat(emulator);
    expect(html.status).toBe(413);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(html.headers.get('server')).toBe('openresty');
    expect(html.text).toContain('<center><h1>413 Request Entity Too Large</h1></center>');
    const binary = await chat(emulator);
    expect(binary.headers.get('content-type')).toBe('application/octet-stream');
    expect(errorOf(binary).message).toBe('Content Exists Risk');
  });

  it('honours message, type, headers, times and match', async () => {
    await start({
      faults: [
        {
          status: 503,
          message: 'busy',
          type: 'overloaded',
          headers: { 'retry-after-ms': '0', 'retry-after': '0' },
          times: 2,
          match: '/chat/completions',
        },
      ],
    });
    expect((await send(emulator, '/models')).status).toBe(200);
    const first = await chat(emulator);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after-ms')).toBe('0');
    expect(first.headers.get('retry-after')).toBe('0');
    expect(errorOf(first)).toMatchObject({ message: 'busy', type: 'overloaded' });
    expect((await chat(emulator)).status).toBe(503);
    expect((await chat(emulator)).status).toBe(200);
  });

  it('matches faults with a function and adds faults at run time', async () => {
    await start({});
    emulator.addFault({ status: 500, match: (request) => request.body?.model === 'deepseek-v4-pro' });
    expect((await chat(emulator)).status).toBe(200);
    expect((await chat(emulator, { model: 'deepseek-v4-pro' })).status).toBe(500);
  });

  it('consumes a turn with a fault, so a retry gets the next turn', async () => {
    await start({ script: [{ fault: { status: 500 } }, { content: 'recovered' }] });
    expect((await chat(emulator)).status).toBe(500);
    expect((await chat(emulator)).json.choices[0].message.content).toBe('recovered');
    emulator.assertDone();
  });

  it('fails chat with 402 when the balance is not available', async () => {
    await start({ balance: { isAvailable: false } });
    const reply = await chat(emulator);
    expect(reply.status).toBe(402);
    expect(errorOf(reply)).toMatchObject({ message: 'Insufficient Balance', type: 'unknown_error' });
  });
});

describe('wire faults', () => {
  it('sends the error after keep-alive padding when a status fault waits in the queue first', async () => {
    await start({
      faults: [
        { status: 503, keepAlive: { ms: 20, intervalMs: 10 }, times: 1 },
        { status: 500, keepAlive: { ms: 10 } },
      ],
    });
    const plain = await chat(emulator);
    expect(plain.status).toBe(200);
    expect(plain.text).toMatch(/^\n+\{"error":\{"message":"Server Overloaded/);
    const streamed = await chat(emulator, stream);
    expect(streamed.text).toMatch(/^: keep-alive\n\ndata: \{"error":\{"message":"Server Error/);
  });

  it('sends a raw body instead of the envelope', async () => {
    await start({ faults: [{ status: 502, rawBody: 'Bad Gateway', contentType: 'text/plain' }] });
    const reply = await chat(emulator);
    expect(reply.status).toBe(502);
    expect(reply.headers.get('content-type')).toBe('text/plain');
    expect(reply.text).toBe('Bad Gateway');
  });

  it('cuts a non-stream body in half', async () => {
    await start({ script: [{ content: 'OK', fault: { cutAfterChunks: 0 } }] });
    const reply = await chat(emulator);
    expect(reply.status).toBe(200);
    expect(reply.json).toBeUndefined();
    expect(reply.text.startsWith('{"id":"')).toBe(true);
  });

  it('pads non-stream answers with blank lines while queued', async () => {
    await start({ script: [{ content: 'OK', fault: { keepAlive: { ms: 30, intervalMs: 10 } } }] });
    const reply = await chat(emulator, { thinking: { type: 'disabled' } });
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(/^\n+\{/);
    expect(JSON.parse(reply.text).choices[0].message.content).toBe('OK');
  });

  it('pads streams with : keep-alive comments before the first chunk', async () => {
    await start({ script: [{ content: 'OK', fault: { keepAlive: { ms: 30, intervalMs: 10 } } }] });
    const reply = await chat(emulator, stream);
    expect(reply.text.startsWith(': keep-alive\n\n: keep-alive\n\n')).toBe(true);
    expect(reply.text.indexOf(': keep-alive')).toBeLessThan(reply.text.indexOf('data: '));
    expect(dataPayloads(reply.text).at(-1)).toBe('[DONE]');
  });

  it('keeps the answer intact with delays between chunks', async () => {
    await start({ script: [{ content: 'a b c', fault: { chunkDelayMs: 5 } }] });
    const reply = await chat(emulator, stream);
    expect(
      chunksOf(reply.text)
        .map((chunk) => chunk.choices[0].delta.content)
        .join(''),
    ).toBe('a b c');
  });

  it('waits chunkDelayMs between chunks (the second chunk does not follow the first at once)', async () => {
    await start({ script: [{ content: 'a b c', fault: { chunkDelayMs: 60_000 } }] });
    const response = await post(stream);
    const { events, stalled } = await readEvents(response, 1);
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!).choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(stalled).toBe(true);
  });

  it('delays a non-stream body by chunkDelayMs after the headers', async () => {
    await start({ script: [{ content: 'late', fault: { chunkDelayMs: 60_000 } }] });
    const response = await post({});
    expect(response.status).toBe(200);
    expect(await readEvents(response, 0)).toEqual({ events: [], stalled: true });
  });

  it('cuts a stream after N chunks: no finish_reason, no [DONE]', async () => {
    await start({ script: [{ content: 'one two three four', fault: { cutAfterChunks: 3 } }] });
    const reply = await chat(emulator, stream);
    const payloads = dataPayloads(reply.text);
    expect(payloads).toHaveLength(3);
    expect(payloads).not.toContain('[DONE]');
    expect(chunksOf(reply.text).every((chunk) => chunk.choices[0].finish_reason === null)).toBe(true);
  });

  it('destroys the socket mid-body when the cut is abrupt', async () => {
    await start({
      script: [{ content: 'one two three four', fault: { cutAfterChunks: 2, cutAbruptly: true } }],
    });
    const response = await post(stream);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('sends a malformed data line after N chunks and carries on', async () => {
    await start({ script: [{ content: 'one two', fault: { malformedChunkAt: 1 } }] });
    const reply = await chat(emulator, stream);
    const payloads = dataPayloads(reply.text);
    expect(() => JSON.parse(payloads[1]!)).toThrow();
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('sends an error object inside the 200 stream after N chunks, then ends', async () => {
    await start({
      script: [{ content: 'one two', fault: { errorInStreamAt: 2, message: 'generation failed' } }],
    });
    const reply = await chat(emulator, stream);
    const payloads = dataPayloads(reply.text);
    expect(reply.status).toBe(200);
    expect(payloads).toHaveLength(3);
    expect(JSON.parse(payloads[2]!)).toEqual({
      error: {
        message: 'generation failed',
        type: 'unknown_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
  });

  it('drops the connection before any response', async () => {
    await start({ faults: [{ dropConnection: true, times: 1 }] });
    await expect(post({})).rejects.toThrow();
    expect(emulator.requests[0]?.status).toBeUndefined();
    expect((await chat(emulator)).status).toBe(200);
  });

  it('drops the connection after keep-alive padding (queue timeout)', async () => {
    await start({ faults: [{ keepAlive: { ms: 20, intervalMs: 10 }, dropConnection: true }] });
    const response = await post({});
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('hangs after the headers until the client gives up', async () => {
    await start({ script: [{ fault: { hang: true } }] });
    const response = await post(stream);
    expect(response.status).toBe(200);
    expect(await readEvents(response, 0)).toEqual({ events: [], stalled: true });
  });

  it('hangs after N chunks (stream idle timeout)', async () => {
    await start({ script: [{ content: 'one two three', fault: { hangAfterChunks: 2 } }] });
    const response = await post(stream);
    const { events, stalled } = await readEvents(response, 2);
    expect(events).toHaveLength(2);
    expect(stalled).toBe(true);
  });

  it('ends hanging connections promptly on close()', async () => {
    await start({ faults: [{ hang: true }] });
    const response = await post({});
    const body = response.text();
    await emulator.close();
    await expect(body).rejects.toThrow();
  });
});

describe('concurrency limit', () => {
  it('answers a real 429 when in-flight requests exceed the limit', async () => {
    await start({ concurrencyLimit: 1, script: [{ fault: { hang: true } }, { content: 'after' }] });
    const controller = new AbortController();
    const hanging = await post({}, controller.signal);
    expect(hanging.status).toBe(200);
    const reply = await chat(emulator);
    expect(reply.status).toBe(429);
    expect(errorOf(reply)).toMatchObject({
      type: 'rate_limit_error',
      message: expect.stringMatching(
        /^Too many requests\. Your current concurrency is 2, which exceeds your concurrency limit of 1 /,
      ),
    });
    controller.abort();
    await hanging.text().catch(() => undefined);
    let after = await chat(emulator);
    for (let attempt = 0; after.status === 429 && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      after = await chat(emulator);
    }
    expect(after.json.choices[0].message.content).toBe('after');
  });
});
