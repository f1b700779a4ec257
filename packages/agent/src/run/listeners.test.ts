import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';

/** The MaxListenersExceededWarning (and any other "memory leak" warning) emitted while `body` runs. */
async function leakWarnings(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
  process.on('warning', listener);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen.filter((text) => /MaxListeners|memory leak/i.test(text));
}

const echo = tool({
  name: 'echo',
  description: 'Echoes n',
  parameters: z.object({ n: z.number() }),
  needsApproval: async () => false, // an async approval check waits on the run's signal too
  execute: async ({ n }, { signal }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return signal.aborted ? 'aborted' : n;
  },
});

describe('abort listeners', () => {
  it('20 parallel tool calls print no MaxListenersExceededWarning', async () => {
    const calls = Array.from({ length: 20 }, (_, n) => ({ name: 'echo', arguments: { n }, id: `call_${n}` }));
    const emulator = await emulate({ script: [{ toolCalls: calls }, { content: 'done' }] });
    const agent = new Agent({ client: clientFor(emulator), tools: [echo], toolConcurrency: 20 });
    let finishReason = '';
    const warnings = await leakWarnings(async () => {
      finishReason = (await agent.run('Go', { signal: new AbortController().signal })).finishReason;
    });
    expect(finishReason).toBe('stop');
    expect(warnings).toEqual([]);
  });

  it('15 runs sharing one caller signal print no warning, and one abort stops them all', async () => {
    const emulator = await emulate({
      script: Array.from({ length: 15 }, () => ({ content: 'never', fault: { hang: true } })),
    });
    const agent = new Agent({ client: clientFor(emulator) });
    const controller = new AbortController();
    let reasons: string[] = [];
    const warnings = await leakWarnings(async () => {
      const runs = Array.from({ length: 15 }, () => agent.run('Hi', { signal: controller.signal }));
      for (let i = 0; i < 500 && emulator.requests.length < 15; i++)
        await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      reasons = (await Promise.all(runs)).map((result) => result.finishReason);
    });
    expect(reasons).toEqual(Array(15).fill('aborted'));
    expect(warnings).toEqual([]);
  });
});
