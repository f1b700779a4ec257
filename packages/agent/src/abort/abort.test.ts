import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { chatRequests, clientFor, delay, emulate, weatherTool } from '../test-helpers.js';

/** Waits (bounded) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await delay(5);
  if (!condition()) throw new Error('condition not reached');
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('abort (signal)', () => {
  it('before the first request: resolves aborted without sending anything', async () => {
    const emulator = await emulate({ script: [{ content: 'never' }] });
    const controller = new AbortController();
    controller.abort();
    const result = await new Agent({ client: clientFor(emulator), instructions: 'Hi' }).run('Hello', {
      signal: controller.signal,
    });
    expect(result.finishReason).toBe('aborted');
    expect(result.steps).toEqual([]);
    expect(result.messages).toEqual([
      { role: 'system', content: 'Hi' },
      { role: 'user', content: 'Hello' },
    ]);
    expect(emulator.requests).toHaveLength(0);
  });

  it('while the model streams (run): cancels the HTTP request and resolves aborted', async () => {
    const emulator = await emulate({ script: [{ content: 'never finishes', fault: { hang: true } }] });
    const controller = new AbortController();
    const running = new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).run('Hello', {
      signal: controller.signal,
    });
    await until(() => emulator.requests.length === 1);
    controller.abort(new Error('user pressed stop'));
    const result = await running;
    expect(result.finishReason).toBe('aborted');
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]?.finishReason).toBe('aborted');
    expect(result.messages.map((message) => message.role)).toEqual(['user']);
  });

  it('while the model streams (stream): keeps the partial text in the step, not in the history', async () => {
    const emulator = await emulate({
      script: [
        {
          content: 'one two three four five six seven',
          reasoning: 'think',
          deltaSize: 4,
          fault: { hangAfterChunks: 4 },
        },
      ],
    });
    const controller = new AbortController();
    const run = new Agent({ client: clientFor(emulator) }).stream('Hello', { signal: controller.signal });
    for await (const event of run) {
      if (event.type === 'text-delta') controller.abort();
    }
    const result = await run.result;
    expect(result.finishReason).toBe('aborted');
    expect(result.steps[0]?.text).not.toBe('');
    expect(result.text).toBe(result.steps[0]?.text);
    expect(result.messages).toEqual([{ role: 'user', content: 'Hello' }]);
  });

  it('while tools run: signals the tools, answers every call as cancelled and keeps the history valid', async () => {
    const started = deferred();
    let toolSignal: AbortSignal | undefined;
    const waiter = tool({
      name: 'wait_for_signal',
      description: 'Waits until cancelled',
      parameters: z.object({}),
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          toolSignal = signal;
          started.resolve();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    const stubborn = tool({
      name: 'ignore_signal',
      description: 'Never finishes, ignores cancellation',
      parameters: z.object({}),
      execute: () => new Promise(() => {}),
    });
    const quick = tool({
      name: 'quick',
      description: 'Answers at once',
      parameters: z.object({}),
      execute: () => 'quick result',
    });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'quick', arguments: {} },
            { name: 'wait_for_signal', arguments: {} },
            { name: 'ignore_signal', arguments: {} },
          ],
        },
        { content: 'continued after the abort' },
      ],
    });
    const controller = new AbortController();
    const agent = new Agent({ client: clientFor(emulator), tools: [quick, waiter, stubborn] });
    const running = agent.run('Go', { signal: controller.signal });
    await started.promise;
    controller.abort();
    const result = await running;

    expect(result.finishReason).toBe('aborted');
    expect(toolSignal?.aborted).toBe(true);
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['ok', 'cancelled', 'cancelled']);
    const toolMessages = result.messages.filter((message) => message.role === 'tool');
    expect(toolMessages.map((message) => message.content)).toEqual([
      'quick result',
      expect.stringMatching(/cancelled/),
      expect.stringMatching(/cancelled/),
    ]);
    expect(chatRequests(emulator)).toHaveLength(1);

    const resumed = await agent.run([...result.messages, { role: 'user', content: 'Go on' }]);
    expect(resumed.finishReason).toBe('stop');
    emulator.assertDone();
  });

  it('between steps: no further request is sent', async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Riga' } }] }, { content: 'unused' }],
    });
    const controller = new AbortController();
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      hooks: { onStepEnd: () => controller.abort() },
    });
    const result = await agent.run('Riga?', { signal: controller.signal });
    expect(result.finishReason).toBe('aborted');
    expect(chatRequests(emulator)).toHaveLength(1);
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('ok');
    expect(result.messages.at(-1)?.role).toBe('tool');
  });

  it('does not leak abort listeners on a long-lived signal', async () => {
    const emulator = await emulate({ script: () => ({ content: 'ok' }) });
    const controller = new AbortController();
    const agent = new Agent({ client: clientFor(emulator) });
    let added = 0;
    let removed = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof remove;
    for (let i = 0; i < 3; i++) await agent.run('hi', { signal: controller.signal });
    expect(added).toBe(3);
    expect(removed).toBe(3);
  });
});
