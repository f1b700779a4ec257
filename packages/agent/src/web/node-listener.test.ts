import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../agent.js';
import type { AgentResult } from '../run/result.js';
import { clientFor, emulate } from '../test-helpers.js';
import { createChatHandler } from './chat-handler.js';
import { toNodeListener } from './node-listener.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: (request: Request) => Promise<Response>): Promise<string> {
  const server = createServer(toNodeListener(handler));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const body = (text: string) =>
  JSON.stringify({ messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text }] }] });

describe('toNodeListener + createChatHandler in node:http', () => {
  it('streams the UI message stream over a real socket', async () => {
    const emulator = await emulate({ script: [{ content: 'Hello over HTTP.' }] });
    const url = await serve(
      createChatHandler({ agent: new Agent({ client: clientFor(emulator) }), secret: SECRET }),
    );
    const response = await fetch(`${url}/api/chat`, { method: 'POST', body: body('Hi') });
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const text = await response.text();
    expect(text).toContain('"type":"text-delta"');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('a client that disconnects mid-stream aborts the run', async () => {
    const emulator = await emulate({
      script: [{ content: 'word '.repeat(400), fault: { chunkDelayMs: 5 } }],
    });
    let settle!: (result: AgentResult<unknown> | undefined) => void;
    const ended = new Promise<AgentResult<unknown> | undefined>((resolve) => {
      settle = resolve;
    });
    const url = await serve(
      createChatHandler({
        agent: new Agent({ client: clientFor(emulator) }),
        secret: SECRET,
        onEnd: ({ result }) => settle(result),
      }),
    );
    const controller = new AbortController();
    const response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      body: body('Talk'),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const result = await ended;
    expect(result?.finishReason).toBe('aborted');
    expect(result?.text.length ?? 0).toBeLessThan('word '.repeat(400).length);
  });
});
