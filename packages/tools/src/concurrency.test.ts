import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolDefinitionError } from './errors.js';
import { tool } from './tool.js';
import { toolPack } from './tool-pack.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** A tool body that records how many of its calls overlap, and waits for `release` to end. */
function probe() {
  let active = 0;
  const seen = { maxActive: 0, order: [] as number[] };
  const gates: Array<() => void> = [];
  const body = async ({ n }: { n: number }) => {
    active++;
    seen.maxActive = Math.max(seen.maxActive, active);
    seen.order.push(n);
    const { opened, open } = gate();
    gates.push(open);
    await opened;
    active--;
    return n;
  };
  /** Lets every waiting call end, until all `count` calls ran. */
  const drain = async (count: number) => {
    for (let ended = 0; ended < count; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const open = gates.shift();
      if (open !== undefined) {
        open();
        ended++;
      }
    }
  };
  return { body, seen, drain };
}

const params = z.object({ n: z.number() });

describe('concurrency', () => {
  it('tool({ concurrency: 1 }) runs its calls one at a time, in call order', async () => {
    const { body, seen, drain } = probe();
    const serial = tool({
      name: 'serial',
      description: 'd',
      parameters: params,
      concurrency: 1,
      execute: body,
    });
    expect(serial.concurrency).toBe(1);
    const runs = [1, 2, 3, 4].map((n) => serial.run({ n }, { callId: `c${n}` }));
    await drain(4);
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true, true]);
    expect(seen.maxActive).toBe(1);
    expect(seen.order).toEqual([1, 2, 3, 4]);
  });

  it('toolPack({ concurrency: 1 }) serializes the calls of all its tools together', async () => {
    const { body, seen, drain } = probe();
    const pack = toolPack({
      name: 'browser',
      description: 'One page shared by every tool',
      concurrency: 1,
      tools: [
        tool({ name: 'click', description: 'd', parameters: params, execute: body }),
        tool({ name: 'type', description: 'd', parameters: params, execute: body }),
      ],
    });
    const [click, type] = pack.tools;
    const runs = [
      click!.run({ n: 1 }, { callId: 'a' }),
      type!.run({ n: 2 }, { callId: 'b' }),
      click!.run({ n: 3 }, { callId: 'c' }),
    ];
    await drain(3);
    await Promise.all(runs);
    expect(seen.maxActive).toBe(1);
    expect(seen.order).toEqual([1, 2, 3]);
  });

  it('without a limit the calls overlap', async () => {
    const { body, seen, drain } = probe();
    const free = tool({ name: 'free', description: 'd', parameters: params, execute: body });
    const runs = [1, 2, 3].map((n) => free.run({ n }, { callId: `c${n}` }));
    await drain(3);
    await Promise.all(runs);
    expect(seen.maxActive).toBe(3);
  });

  it('a call waiting for a slot ends at once as aborted when its signal fires, and never runs', async () => {
    const started: number[] = [];
    const first = gate();
    const serial = tool({
      name: 'serial',
      description: 'd',
      parameters: params,
      concurrency: 1,
      execute: async ({ n }) => {
        started.push(n);
        if (n === 1) await first.opened;
        return n;
      },
    });
    const controller = new AbortController();
    const running = serial.run({ n: 1 }, { callId: 'a' });
    const waiting = serial.run({ n: 2 }, { callId: 'b', signal: controller.signal });
    controller.abort();
    const outcome = await waiting;
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.name).toBe('ToolAbortedError');
    first.open();
    expect((await running).ok).toBe(true);
    expect((await serial.run({ n: 3 }, { callId: 'c' })).ok).toBe(true);
    expect(started).toEqual([1, 3]);
  });

  it('keeps the slot until execute settles, even after a timeout answered the call', async () => {
    const started: number[] = [];
    const stuck = gate();
    const serial = tool({
      name: 'serial',
      description: 'd',
      parameters: params,
      concurrency: 1,
      timeoutMs: 5,
      execute: async ({ n }) => {
        started.push(n);
        if (n === 1) await stuck.opened; // ignores its signal
        return n;
      },
    });
    const timedOut = await serial.run({ n: 1 }, { callId: 'a' });
    expect(timedOut.ok).toBe(false);
    expect(!timedOut.ok && timedOut.settled).toBeInstanceOf(Promise);
    const next = serial.run({ n: 2 }, { callId: 'b' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([1]);
    stuck.open();
    expect((await next).ok).toBe(true);
    expect(started).toEqual([1, 2]);
  });

  it.each([0, -1, 1.5, '1', null])(
    'rejects concurrency %s with a ToolDefinitionError naming the type',
    (value) => {
      const build = () =>
        tool({
          name: 'bad',
          description: 'd',
          parameters: params,
          concurrency: value as number,
          execute: () => 1,
        });
      expect(build).toThrow(ToolDefinitionError);
      expect(build).toThrow(/concurrency must be a positive integer/);
      expect(() =>
        toolPack({ name: 'p', description: 'd', concurrency: value as number, tools: [] }),
      ).toThrow(/Tool pack "p": concurrency/);
    },
  );
});
