import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Agent } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';

describe('many runs sharing one caller signal', () => {
  it('add one abort listener to it in all, client requests included, and one abort ends them all', async () => {
    const runs = 40;
    const emulator = await emulate({
      script: Array.from({ length: runs }, () => ({ content: 'never', fault: { hang: true } })),
    });
    const agent = new Agent({ client: clientFor(emulator) });
    const controller = new AbortController();
    const all = Array.from({ length: runs }, () => agent.run('Hi', { signal: controller.signal }));
    // Every run's request is in flight (sent, waiting for an answer that never comes).
    for (let i = 0; i < 1000 && emulator.requests.length < runs; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(emulator.requests.length).toBe(runs);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    const reasons = (await Promise.all(all)).map((result) => result.finishReason);
    expect(reasons).toEqual(Array(runs).fill('aborted'));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
