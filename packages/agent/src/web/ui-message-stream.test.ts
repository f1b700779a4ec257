import { tool } from '@plumb/tools';
import {
  parseJsonEventStream,
  readUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
  uiMessageChunkSchema,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../agent.js';
import { stepCountIs } from '../control/stop-conditions.js';
import { RunState } from '../state/run-state.js';
import { clientFor, emulate } from '../test-helpers.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';

/** Reads a Response the way the AI SDK's DefaultChatTransport does, with its own parser and schema. */
async function readResponse(
  response: Response,
): Promise<{ message: UIMessage; chunks: UIMessageChunk[]; errors: unknown[] }> {
  const errors: unknown[] = [];
  const chunks: UIMessageChunk[] = [];
  const parsed = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream({
      transform(result, controller) {
        if (!result.success) throw result.error;
        chunks.push(result.value as UIMessageChunk);
        controller.enqueue(result.value as UIMessageChunk);
      },
    }),
  );
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream({
    stream: parsed,
    onError: (error) => errors.push(error),
  })) {
    message = snapshot;
  }
  return { message: message!, chunks, errors };
}

function weather() {
  return tool({
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: z.object({ city: z.string() }),
    execute: ({ city }) => ({ city, celsius: 21 }),
  });
}

describe('toUIMessageStreamResponse', () => {
  it('the ai package reads text, reasoning, tool input/output and the usage data part', async () => {
    const emulator = await emulate({
      script: [
        {
          reasoning: 'Need the weather.',
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_00_w' }],
        },
        { reasoning: 'Answer now.', content: 'It is 21°C in Paris.' },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weather()] });
    const response = agent.stream('Weather in Paris?').toUIMessageStreamResponse();
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const { message, chunks, errors } = await readResponse(response);
    expect(errors).toEqual([]);
    expect(message.role).toBe('assistant');
    const types = message.parts.map((part) => part.type);
    expect(types).toContain('reasoning');
    const tool = message.parts.find((part) => part.type === 'tool-get_weather') as Record<string, unknown>;
    expect(tool).toMatchObject({
      state: 'output-available',
      input: { city: 'Paris' },
      output: { city: 'Paris', celsius: 21 },
    });
    const text = message.parts
      .filter((part) => part.type === 'text')
      .map((part) => (part as { text: string }).text);
    expect(text.join('')).toBe('It is 21°C in Paris.');
    const reasoning = message.parts
      .filter((part) => part.type === 'reasoning')
      .map((part) => (part as { text: string }).text);
    expect(reasoning.join('|')).toBe('Need the weather.|Answer now.');
    const usage = message.parts.find(
      (part) => part.type === 'data-plumb-usage' && (part as { id?: string }).id === 'run',
    ) as {
      data: { usage: { total_tokens: number }; cacheHitRatio: number; finishReason: string; cost: unknown };
    };
    expect(usage.data.usage.total_tokens).toBeGreaterThan(0);
    expect(usage.data.finishReason).toBe('stop');
    expect(typeof usage.data.cacheHitRatio).toBe('number');
    expect(usage.data.cost).toBeDefined();
    expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
    expect(chunks.filter((chunk) => chunk.type === 'start-step')).toHaveLength(2);
  });

  it('a run ended by stopWhen or maxSteps finishes as tool-calls, as the AI SDK reports its last step', async () => {
    for (const limit of [{ stopWhen: stepCountIs(1) }, { maxSteps: 1 }]) {
      const emulator = await emulate({
        script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }],
      });
      const agent = new Agent({ client: clientFor(emulator), tools: [weather()], ...limit });
      const stream = agent.stream('Weather in Paris?');
      const { chunks } = await readResponse(stream.toUIMessageStreamResponse());
      expect(['stopped', 'max_steps']).toContain((await stream.result).finishReason);
      expect(chunks.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls' });
    }
  });

  it('a failing tool is a tool output error; a failed run is an error chunk without its message', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'boom', arguments: {}, id: 'call_00_b' }] },
        { fault: { status: 400, message: 'secret upstream detail' } },
      ],
    });
    const boom = tool({
      name: 'boom',
      description: 'Fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [boom] });
    const { message, chunks, errors } = await readResponse(agent.stream('Go').toUIMessageStreamResponse());
    const part = message.parts.find((p) => p.type === 'tool-boom') as Record<string, unknown>;
    expect(part.state).toBe('output-error');
    expect(String(part.errorText)).toContain('disk on fire');
    const error = chunks.find((chunk) => chunk.type === 'error') as { errorText: string };
    expect(error.errorText).toMatch(/^The agent run failed \(/);
    expect(error.errorText).not.toContain('secret upstream detail');
    expect(errors).toHaveLength(1);
  });

  it('an approval request is a tool-approval-request with a signed state that loads back', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'transfer', arguments: { amount: 5 }, id: 'call_00_t' }] },
        { content: 'Sent.' },
      ],
    });
    const transfer = tool({
      name: 'transfer',
      description: 'Sends money',
      parameters: z.object({ amount: z.number() }),
      needsApproval: true,
      execute: ({ amount }) => `sent ${amount}`,
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [transfer] });
    const { message } = await readResponse(
      agent.stream('Pay 5').toUIMessageStreamResponse({ secret: SECRET }),
    );
    const part = message.parts.find((p) => p.type === 'tool-transfer') as Record<string, unknown>;
    expect(part.state).toBe('approval-requested');
    expect(part.approval).toEqual({ id: 'call_00_t' });
    const state = message.parts.find((p) => p.type === 'data-plumb-state') as { data: { state: string } };
    const loaded = await RunState.fromSignedJSON(state.data.state, { secret: SECRET });
    expect(loaded.interruptions.map((call) => call.id)).toEqual(['call_00_t']);
  });

  it('cancelling the UI stream aborts the run', async () => {
    const emulator = await emulate({
      script: [{ content: 'word '.repeat(400), fault: { chunkDelayMs: 5 } }],
    });
    const agent = new Agent({ client: clientFor(emulator) });
    const stream = agent.stream('Talk');
    const reader = stream.toUIMessageStream().getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect((await stream.result).finishReason).toBe('aborted');
  });
});
