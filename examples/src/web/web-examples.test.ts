// The web examples, offline: one chat with an approval round trip through each host (node:http,
// Hono, a Next.js route handler's POST), read with the AI SDK's own stream reader.
import { DeepSeek } from '@plumb/core';
import { type Emulator, startEmulator } from '@plumb/testing';
import { parseJsonEventStream, readUIMessageStream, type UIMessage, uiMessageChunkSchema } from 'ai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatHandler, createAgent, turns } from './chat-agent.js';
import { honoApp } from './hono-app.js';
import { startNodeServer, urlOf } from './node-server.js';

const SECRET = 'example-secret-example-secret-32b!';
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  vi.unstubAllEnvs();
});

async function emulate(): Promise<Emulator> {
  const emulator = await startEmulator({ script: turns });
  cleanup.push(() => emulator.close());
  return emulator;
}

async function read(response: Response, previous?: UIMessage): Promise<UIMessage> {
  const stream = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream({
      transform(result, controller) {
        if (result.success) controller.enqueue(result.value);
      },
    }),
  );
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({ stream, ...(previous ? { message: previous } : {}) })) {
    message = snapshot;
  }
  return message!;
}

const user: UIMessage = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Send Ada 5' }] };

/** What useChat sends after addToolApprovalResponse({ id, approved: true }). */
function approve(message: UIMessage): UIMessage {
  const parts = message.parts.map((part) => {
    const record = part as Record<string, unknown>;
    if (record.state !== 'approval-requested') return part;
    const { id } = record.approval as { id: string };
    return { ...record, state: 'approval-responded', approval: { id, approved: true } };
  });
  return { ...message, parts: parts as UIMessage['parts'] };
}

/** One conversation through `send`: the transfer waits for approval, then runs once approved. */
async function roundTrip(send: (body: unknown) => Promise<Response>) {
  const paused = await read(await send({ id: 'chat', messages: [user], trigger: 'submit-message' }));
  const call = paused.parts.find((part) => part.type === 'tool-transfer') as Record<string, unknown>;
  expect(call.state).toBe('approval-requested');
  expect(call.input).toEqual({ to: 'Ada', amount: 5 });
  const approved = approve(paused);
  const done = await read(await send({ id: 'chat', messages: [user, approved] }), approved);
  const result = done.parts.find((part) => part.type === 'tool-transfer') as Record<string, unknown>;
  expect(result.state).toBe('output-available');
  expect(result.output).toBe('sent 5 to Ada');
  const text = done.parts
    .filter((part) => part.type === 'text')
    .map((part) => (part as { text: string }).text);
  expect(text.join('')).toBe('Done: sent 5 to Ada.');
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('web examples (offline, against the emulator)', () => {
  it('node:http: a chat with an approval, over a real socket', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const emulator = await emulate();
    const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url });
    const server = await startNodeServer(chatHandler(createAgent(client), SECRET), 0);
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await roundTrip((body) => fetch(`${urlOf(server)}/api/chat`, json(body)));
  });

  it('Hono: the same handler behind app.request()', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const emulator = await emulate();
    const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url });
    const app = honoApp(chatHandler(createAgent(client), SECRET));
    await roundTrip(async (body) => app.request('/api/chat', json(body)));
    expect((await app.request('/api/chat', { method: 'GET' })).status).toBe(404);
  });

  it("Next.js: the route module's POST called with a Request", async () => {
    const emulator = await emulate();
    vi.stubEnv('DEEPSEEK_API_KEY', emulator.apiKey);
    vi.stubEnv('DEEPSEEK_BASE_URL', emulator.url);
    vi.stubEnv('PLUMB_STATE_SECRET', SECRET);
    const route = await import('./next-route.js');
    await roundTrip((body) => route.POST(new Request('http://localhost/api/chat', json(body))));
  });
});
