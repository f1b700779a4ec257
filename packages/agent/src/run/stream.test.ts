import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, AgentError, type AgentEvent, AgentRunError } from '../index.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';

describe('Agent.stream', () => {
  it('yields typed events in order and result resolves like run()', async () => {
    const emulator = await emulate({
      script: [
        {
          reasoning: 'I need the weather',
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { reasoning: 'Now answer', content: 'It is sunny in Paris' },
      ],
    });
    const run = new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).stream('Paris?');
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);
    const result = await run.result;

    const types = events.map((event) => event.type);
    const compact = types.filter((type, i) => type !== types[i - 1]);
    expect(compact).toEqual([
      'step-start',
      'reasoning-delta',
      'tool-call',
      'tool-result',
      'step-end',
      'step-start',
      'reasoning-delta',
      'text-delta',
      'step-end',
      'end',
    ]);
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
    expect(text).toBe('It is sunny in Paris');
    const reasoning = events
      .flatMap((event) => (event.type === 'reasoning-delta' && event.stepIndex === 0 ? [event.text] : []))
      .join('');
    expect(reasoning).toBe('I need the weather');
    expect(events.find((event) => event.type === 'tool-call')).toMatchObject({
      stepIndex: 0,
      name: 'get_weather',
      args: { city: 'Paris' },
      rawArguments: '{"city": "Paris"}',
    });
    expect(events.find((event) => event.type === 'tool-result')).toMatchObject({
      error: false,
      content: '{"city":"Paris","celsius":21}',
    });
    const end = events.at(-1);
    expect(end?.type === 'end' && end.result).toBe(result);
    expect(result.text).toBe('It is sunny in Paris');
  });

  it('marks failed tool results with error: true', async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'missing_tool', arguments: {} }] }, { content: 'ok' }],
    });
    const run = new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).stream('go');
    const results = [];
    for await (const event of run) if (event.type === 'tool-result') results.push(event);
    expect(results).toMatchObject([{ name: 'missing_tool', error: true, toolCall: { status: 'error' } }]);
  });

  it('textStream() yields only the answer text', async () => {
    const emulator = await emulate({ script: [{ reasoning: 'hmm', content: 'Hello there, friend' }] });
    const run = new Agent({ client: clientFor(emulator) }).stream('Hi');
    let text = '';
    for await (const piece of run.textStream()) text += piece;
    expect(text).toBe('Hello there, friend');
    expect((await run.result).finishReason).toBe('stop');
  });

  it('textStream() reads nothing until iterated; iterating it uses up the stream', async () => {
    const emulator = await emulate({ script: [{ content: 'Still here' }] });
    const run = new Agent({ client: clientFor(emulator) }).stream('Hi');
    const unread = run.textStream();
    const deltas: string[] = [];
    for await (const event of run) if (event.type === 'text-delta') deltas.push(event.text);
    expect(deltas.join('')).toBe('Still here');
    await expect(unread.next()).rejects.toThrow(AgentError);
    await expect(run.textStream().next()).rejects.toThrow(/already iterated/);
  });

  it('breaking out of textStream() aborts the run', async () => {
    const emulator = await emulate({
      script: [
        { content: 'First', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { content: 'unused' },
      ],
    });
    const run = new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).stream('Paris?');
    for await (const _piece of run.textStream()) break;
    expect((await run.result).finishReason).toBe('aborted');
    expect(chatRequests(emulator)).toHaveLength(1);
  });

  it('breaking out of the loop aborts the run (no further request) and result resolves aborted', async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }, { content: 'unused' }],
    });
    const run = new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).stream('Paris?');
    for await (const event of run) {
      if (event.type === 'tool-call') break;
    }
    const result = await run.result;
    expect(result.finishReason).toBe('aborted');
    expect(chatRequests(emulator)).toHaveLength(1);
    expect(result.messages.at(-1)?.role).toBe('tool');
  });

  it('can be iterated once', async () => {
    const emulator = await emulate({ script: [{ content: 'once' }] });
    const run = new Agent({ client: clientFor(emulator) }).stream('Hi');
    for await (const _event of run) {
      // drain
    }
    expect(() => run[Symbol.asyncIterator]()).toThrow(AgentError);
  });

  it('a failed run throws from the iteration and rejects result; awaiting only result is enough', async () => {
    const emulator = await emulate({ script: [{ fault: { status: 402 } }, { fault: { status: 402 } }] });
    const agent = new Agent({ client: clientFor(emulator) });

    const iterated = agent.stream('Hi');
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of iterated) seen.push(event.type);
      })(),
    ).rejects.toBeInstanceOf(AgentRunError);
    expect(seen).toEqual(['step-start', 'error']);
    await expect(iterated.result).rejects.toBeInstanceOf(AgentRunError);

    const awaited = agent.stream('Hi again');
    await expect(awaited.result).rejects.toBeInstanceOf(AgentRunError);
  });

  it('a failed run that is never read nor awaited does not cause an unhandled rejection', async () => {
    const emulator = await emulate({ script: [{ fault: { status: 401 } }] });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      new Agent({ client: clientFor(emulator) }).stream('Hi');
      for (let i = 0; i < 100 && emulator.requests.length === 0; i++)
        await new Promise((r) => setTimeout(r, 5));
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(emulator.requests).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('throws config errors at once, before any request', async () => {
    const emulator = await emulate();
    const agent = new Agent({ client: clientFor(emulator) });
    expect(() => agent.stream('Hi', { maxSteps: -1 })).toThrow(/maxSteps/);
    expect(emulator.requests).toHaveLength(0);
  });

  it('emits tool results as they complete while the history keeps call order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = tool({
      name: 'first',
      description: 'Waits for the second',
      parameters: z.object({}),
      execute: async () => {
        await gate;
        return 'first done';
      },
    });
    const second = tool({
      name: 'second',
      description: 'Finishes at once',
      parameters: z.object({}),
      execute: () => {
        release();
        return 'second done';
      },
    });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'first', arguments: {} },
            { name: 'second', arguments: {} },
          ],
        },
        { content: 'ok' },
      ],
    });
    const run = new Agent({ client: clientFor(emulator), tools: [first, second] }).stream('go');
    const order: string[] = [];
    for await (const event of run) if (event.type === 'tool-result') order.push(event.name);
    const result = await run.result;
    expect(order).toEqual(['second', 'first']);
    expect(
      result.messages.filter((message) => message.role === 'tool').map((message) => message.content),
    ).toEqual(['first done', 'second done']);
  });
});
