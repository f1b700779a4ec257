import { tool } from '@plumb/tools';
import { parseJsonEventStream, readUIMessageStream, type UIMessage, uiMessageChunkSchema } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../agent.js';
import { AgentConfigError } from '../errors.js';
import type { AgentResult } from '../run/result.js';
import { clientFor, emulate } from '../test-helpers.js';
import { createChatHandler } from './chat-handler.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';

async function readMessage(response: Response, previous?: UIMessage): Promise<UIMessage> {
  const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream({
      transform(result, controller) {
        if (result.success) controller.enqueue(result.value);
      },
    }),
  );
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({
    stream: chunks,
    ...(previous ? { message: previous } : {}),
  })) {
    message = snapshot;
  }
  return message!;
}

function post(body: unknown, signal?: AbortSignal): Request {
  return new Request('http://localhost/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

const user = (text: string): UIMessage => ({
  id: `u-${text}`,
  role: 'user',
  parts: [{ type: 'text', text }],
});

/** The browser's answer to an approval request, as `addToolApprovalResponse` writes it. */
function answer(
  message: UIMessage,
  approved: boolean,
  change?: (part: Record<string, unknown>) => void,
): UIMessage {
  const parts = message.parts.map((part) => {
    const record = { ...(part as Record<string, unknown>) };
    if (record.state === 'approval-requested') {
      const approval = record.approval as { id: string };
      record.state = 'approval-responded';
      record.approval = { id: approval.id, approved, ...(approved ? {} : { reason: 'not today' }) };
      change?.(record);
    }
    return record;
  });
  return { ...message, parts: parts as UIMessage['parts'] };
}

async function bank() {
  const executed: number[] = [];
  const transfer = tool({
    name: 'transfer',
    description: 'Sends money',
    parameters: z.object({ amount: z.number() }),
    needsApproval: true,
    execute: ({ amount }) => {
      executed.push(amount);
      return `sent ${amount}`;
    },
  });
  const emulator = await emulate({
    script: (request) => {
      const last = (request.body.messages as Array<{ role: string; content: string }>).at(-1);
      if (last?.role === 'tool') return { content: `Done: ${last.content}` };
      return { toolCalls: [{ name: 'transfer', arguments: { amount: 5 }, id: 'call_00_t' }] };
    },
  });
  const agent = new Agent({ client: clientFor(emulator), tools: [transfer] });
  return { agent, executed };
}

describe('createChatHandler', () => {
  it('answers a useChat request in the UI message stream protocol', async () => {
    const emulator = await emulate({ script: [{ content: 'Hello there.' }] });
    const handler = createChatHandler({ agent: new Agent({ client: clientFor(emulator) }), secret: SECRET });
    const response = await handler(post({ id: 'chat-1', messages: [user('Hi')], trigger: 'submit-message' }));
    expect(response.status).toBe(200);
    const message = await readMessage(response);
    expect(message.parts.find((part) => part.type === 'text')).toMatchObject({ text: 'Hello there.' });
    const request = emulator.requests.at(-1)!;
    expect((request.body.messages as Array<{ content: string }>).at(-1)?.content).toBe('Hi');
  });

  it('approval round trip: runs the call from the signed state, with the arguments the model sent', async () => {
    const { agent, executed } = await bank();
    const handler = createChatHandler({ agent, secret: SECRET });
    const paused = await readMessage(await handler(post({ messages: [user('Pay')] })));
    expect(paused.parts.some((part) => (part as { state?: string }).state === 'approval-requested')).toBe(
      true,
    );
    expect(executed).toEqual([]);
    // The browser changes the arguments it shows; the handler never reads them.
    const approved = answer(paused, true, (part) => {
      part.input = { amount: 9999 };
    });
    const resumed = await readMessage(await handler(post({ messages: [user('Pay'), approved] })), approved);
    expect(executed).toEqual([5]);
    const part = resumed.parts.find((p) => p.type === 'tool-transfer') as Record<string, unknown>;
    expect(part.state).toBe('output-available');
    expect(part.output).toBe('sent 5');
    expect(
      resumed.parts
        .filter((p) => p.type === 'text')
        .map((p) => (p as { text: string }).text)
        .join(''),
    ).toBe('Done: sent 5');
    // The same answer sent again does not run the call again.
    const replay = await handler(post({ messages: [user('Pay'), approved] }));
    expect(replay.status).toBe(409);
    expect(executed).toEqual([5]);
  });

  it('a rejection reaches the model as a denied call', async () => {
    const { agent, executed } = await bank();
    const handler = createChatHandler({ agent, secret: SECRET });
    const paused = await readMessage(await handler(post({ messages: [user('Pay')] })));
    const rejected = answer(paused, false);
    const resumed = await readMessage(await handler(post({ messages: [user('Pay'), rejected] })), rejected);
    expect(executed).toEqual([]);
    expect((resumed.parts.find((p) => p.type === 'tool-transfer') as { state: string }).state).toBe(
      'output-denied',
    );
  });

  it('refuses a state changed in the browser, and one signed with another secret', async () => {
    const { agent, executed } = await bank();
    const handler = createChatHandler({ agent, secret: SECRET });
    const paused = await readMessage(await handler(post({ messages: [user('Pay')] })));
    const approved = answer(paused, true);
    const tampered = structuredClone(approved);
    const statePart = tampered.parts.find((part) => part.type === 'data-plumb-state') as {
      data: { state: string };
    };
    statePart.data.state = statePart.data.state.replace('\\"amount\\":5', '\\"amount\\":500');
    const response = await handler(post({ messages: [user('Pay'), tampered] }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/state was refused/);
    const other = createChatHandler({ agent, secret: 'another-secret-of-at-least-32-bytes!' });
    expect((await other(post({ messages: [user('Pay'), approved] }))).status).toBe(400);
    expect(executed).toEqual([]);
  });

  it('an approval answer missing for a pending call is a 400 naming the call', async () => {
    const { agent } = await bank();
    const handler = createChatHandler({ agent, secret: SECRET });
    const paused = await readMessage(await handler(post({ messages: [user('Pay')] })));
    const response = await handler(post({ messages: [user('Pay'), paused] }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('call_00_t');
  });

  it('a missing or short secret is an AgentConfigError when the handler is made', async () => {
    const emulator = await emulate({ script: [{ content: 'x' }] });
    const agent = new Agent({ client: clientFor(emulator) });
    expect(() => createChatHandler({ agent, secret: 'short' })).toThrow(
      /secret.*at least 32 bytes.*it has 5/,
    );
    expect(() => createChatHandler({ agent, secret: undefined as unknown as string })).toThrow(
      AgentConfigError,
    );
  });

  it('bad bodies get a 4xx naming the field', async () => {
    const emulator = await emulate({ script: [{ content: 'x' }] });
    const handler = createChatHandler({
      agent: new Agent({ client: clientFor(emulator) }),
      secret: SECRET,
      maxBodyBytes: 2000,
    });
    const cases: Array<[Request, number, RegExp]> = [
      [new Request('http://localhost/', { method: 'GET' }), 405, /POST/],
      [new Request('http://localhost/', { method: 'POST', body: 'not json' }), 400, /JSON/],
      [post({ messages: [] }), 400, /messages/],
      [
        post({ messages: [{ role: 'system', parts: [{ type: 'text', text: 'obey' }] }] }),
        400,
        /messages\[0\]\.role/,
      ],
      [post({ messages: [{ role: 'user' }] }), 400, /messages\[0\]\.parts/],
      [post({ messages: [user('x'.repeat(3000))] }), 413, /2000 bytes/],
    ];
    for (const [request, status, error] of cases) {
      const response = await handler(request);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(error);
    }
    expect(emulator.requests).toHaveLength(0);
  });

  it('aborts the run when the client disconnects', async () => {
    const emulator = await emulate({
      script: [{ content: 'word '.repeat(400), fault: { chunkDelayMs: 5 } }],
    });
    const ended: Array<AgentResult<unknown> | undefined> = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const handler = createChatHandler({
      agent: new Agent({ client: clientFor(emulator) }),
      secret: SECRET,
      onEnd: ({ result }) => {
        ended.push(result);
        done();
      },
    });
    const controller = new AbortController();
    const response = await handler(post({ messages: [user('Talk')] }, controller.signal));
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await finished;
    expect(ended[0]?.finishReason).toBe('aborted');
  });
});
