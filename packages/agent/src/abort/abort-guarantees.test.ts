import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { clientFor, delay, emulate, weatherTool } from '../test-helpers.js';

// An abort ends the run within about a second whatever a hook or a tool does. Without the grace
// period these runs never resolve, and the tests fail on vitest's timeout.

function never(): Promise<never> {
  return new Promise(() => {});
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const ONE_CALL = [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_00_a' }] },
  { content: 'unused' },
];

describe('abort ends the run whatever a hook does', () => {
  it('onStepStart never settles: the aborted run still resolves', async () => {
    const emulator = await emulate({ script: [{ content: 'unused' }] });
    const called = deferred();
    const controller = new AbortController();
    const agent = new Agent({
      client: clientFor(emulator),
      hooks: {
        onStepStart: () => {
          called.resolve();
          return never();
        },
      },
    });
    const running = agent.run('Hello', { signal: controller.signal });
    await called.promise;
    controller.abort();
    const result = await running;
    expect(result.finishReason).toBe('aborted');
  });

  it('onToolCallStart never settles: the aborted run resolves and the history stays valid', async () => {
    const emulator = await emulate({ script: ONE_CALL });
    const called = deferred();
    const ran: string[] = [];
    const controller = new AbortController();
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool(ran)],
      hooks: {
        onToolCallStart: () => {
          called.resolve();
          return never();
        },
      },
    });
    const running = agent.run('Weather?', { signal: controller.signal });
    await called.promise;
    controller.abort();
    const result = await running;
    expect(result.finishReason).toBe('aborted');
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('cancelled');
    expect(ran).toEqual([]);
    expect(result.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
  });

  it('onToolCallEnd and onStepEnd that never settle do not hold an aborted run', async () => {
    const emulator = await emulate({ script: ONE_CALL });
    const started = deferred();
    const controller = new AbortController();
    const slow = tool({
      name: 'get_weather',
      description: 'Weather',
      parameters: z.object({ city: z.string() }),
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          started.resolve();
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [slow],
      hooks: { onToolCallEnd: never, onStepEnd: never },
    });
    const running = agent.run('Weather?', { signal: controller.signal });
    await started.promise;
    controller.abort();
    const result = await running;
    expect(result.finishReason).toBe('aborted');
  });

  it('a slow hook that settles within the grace period is still awaited', async () => {
    const emulator = await emulate({ script: ONE_CALL });
    const started = deferred();
    const controller = new AbortController();
    const seen: string[] = [];
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [
        tool({
          name: 'get_weather',
          description: 'Weather',
          parameters: z.object({ city: z.string() }),
          execute: (_args, { signal }) =>
            new Promise((_resolve, reject) => {
              started.resolve();
              signal.addEventListener('abort', () => reject(signal.reason));
            }),
        }),
      ],
      hooks: {
        onStepEnd: async () => {
          await delay(20);
          seen.push('step-end hook finished');
        },
      },
    });
    const running = agent.run('Weather?', { signal: controller.signal });
    await started.promise;
    controller.abort();
    await running;
    expect(seen).toEqual(['step-end hook finished']);
  });
});

describe('a tool that ignores its signal is abandoned', () => {
  it('on abort: the call is cancelled, recorded as abandoned, and the run ends', async () => {
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'stubborn', arguments: {}, id: 'call_00_s' },
            { name: 'polite', arguments: {}, id: 'call_01_p' },
          ],
        },
        { content: 'unused' },
      ],
    });
    const started = deferred();
    const controller = new AbortController();
    const stubborn = tool({
      name: 'stubborn',
      description: 'Ignores cancellation',
      parameters: z.object({}),
      execute: () => {
        started.resolve();
        return never();
      },
    });
    const polite = tool({
      name: 'polite',
      description: 'Honours cancellation',
      parameters: z.object({}),
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [stubborn, polite] });
    const running = agent.run('Go', { signal: controller.signal });
    await started.promise;
    controller.abort();
    const result = await running;
    expect(result.finishReason).toBe('aborted');
    const [ignored, honoured] = result.steps[0]?.toolCalls ?? [];
    expect(ignored).toMatchObject({ status: 'cancelled', abandoned: true });
    expect(honoured?.status).toBe('cancelled');
    expect(honoured?.abandoned).toBeUndefined();
  });

  it('on timeout: the call fails, is recorded as abandoned, and the run goes on', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'stubborn', arguments: {}, id: 'call_00_s' }] },
        { content: 'Moved on.' },
      ],
    });
    const stubborn = tool({
      name: 'stubborn',
      description: 'Ignores cancellation',
      parameters: z.object({}),
      timeoutMs: 10,
      execute: () => never(),
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [stubborn] }).run('Go');
    expect(result.finishReason).toBe('stop');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ status: 'error', abandoned: true });
    expect(result.text).toBe('Moved on.');
  });
});
