import { tool, toolPack } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';

describe("a pack's concurrency limit in the agent", () => {
  it('toolPack({ concurrency: 1 }) runs the calls of one turn one at a time, in call order', async () => {
    let active = 0;
    let maxActive = 0;
    const order: string[] = [];
    const step = async (name: string) => {
      active++;
      maxActive = Math.max(maxActive, active);
      order.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`end ${name}`);
      active--;
      return name;
    };
    const browser = toolPack({
      name: 'browser',
      description: 'One shared page',
      concurrency: 1,
      tools: [
        tool({
          name: 'click',
          description: 'd',
          parameters: z.object({ on: z.string() }),
          execute: ({ on }) => step(on),
        }),
        tool({
          name: 'read',
          description: 'd',
          parameters: z.object({ on: z.string() }),
          execute: ({ on }) => step(on),
        }),
      ],
    });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'click', arguments: { on: 'a' }, id: 'c1' },
            { name: 'read', arguments: { on: 'b' }, id: 'c2' },
            { name: 'click', arguments: { on: 'c' }, id: 'c3' },
          ],
        },
        { content: 'done' },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [browser] }).run('Browse');
    expect(result.finishReason).toBe('stop');
    expect(maxActive).toBe(1);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
