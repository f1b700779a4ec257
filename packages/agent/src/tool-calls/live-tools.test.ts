import { type AnyTool, dynamicToolPack, ToolResultContent, tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, type AgentEvent, RunState, RunStateError } from '../index.js';
import { clientFor, delay, emulate, rawTools } from '../test-helpers.js';

const simple = (name: string, extra: Partial<Parameters<typeof tool>[0]> = {}) =>
  tool({
    name,
    description: `The ${name} tool`,
    parameters: z.object({}),
    execute: () => name,
    ...extra,
  }) as unknown as AnyTool;

/** A pack whose tools change, as an MCP connection's do. */
class LivePack {
  readonly kind = 'tool-pack' as const;
  readonly name = 'live';
  readonly description = 'changing tools';
  tools: readonly AnyTool[];
  revision = 0;
  constructor(tools: readonly AnyTool[]) {
    this.tools = tools;
  }
  change(tools: readonly AnyTool[]): void {
    this.tools = tools;
    this.revision++;
  }
}

describe('dynamic tool packs', () => {
  it('re-reads changed tools at the next step boundary and reports tools-changed', async () => {
    const pack = dynamicToolPack(new LivePack([simple('live_a')]));
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'live_a', arguments: {} }] },
        { toolCalls: [{ name: 'live_b', arguments: {} }] },
        { content: 'done' },
      ],
    });
    // live_a's call changes the tools mid-step; the change applies from the next request on.
    const a = tool({
      name: 'live_a',
      description: 'The live_a tool',
      parameters: z.object({}),
      execute: () => {
        pack.change([simple('live_b')]);
        return 'a';
      },
    }) as unknown as AnyTool;
    pack.change([a]);
    const agent = new Agent({ client: clientFor(emulator), tools: [pack] });
    const events: AgentEvent[] = [];
    for await (const event of agent.stream('go')) events.push(event);
    const changes = events.filter((event) => event.type === 'tools-changed');
    expect(changes).toEqual([
      { type: 'tools-changed', stepIndex: 1, added: ['live_b'], removed: ['live_a'], changed: [] },
    ]);
    const [first, second] = emulator.requests;
    expect(rawTools(first!)).toContain('"live_a"');
    expect(rawTools(second!)).toContain('"live_b"');
    expect(rawTools(second!)).not.toContain('"live_a"');
    const last = events.at(-1);
    expect(last?.type === 'end' && last.result.steps[1]?.toolCalls[0]?.content).toBe('live_b');
  });

  it('a paused run pins the fingerprint of dynamic tools: resuming against changed ones fails closed', async () => {
    const pack = dynamicToolPack(new LivePack([simple('live_delete', { needsApproval: true })]));
    const emulator = await emulate({ script: [{ toolCalls: [{ name: 'live_delete', arguments: {} }] }] });
    const agent = new Agent({ client: clientFor(emulator), tools: [pack] });
    const paused = await agent.run('delete it');
    expect(paused.finishReason).toBe('interrupted');
    const json = JSON.stringify(paused.state);
    expect(JSON.parse(json).toolPins.live).toMatch(/^[0-9a-f]{32}$/);
    pack.change([simple('live_delete', { needsApproval: true, description: 'Deletes EVERYTHING' })]);
    const state = RunState.fromJSON(json).approve(paused.interruptions[0]!.id);
    await expect(agent.run(state)).rejects.toThrow(RunStateError);
    await expect(agent.run(state)).rejects.toThrow(/tools of "live" changed since this run was paused/);
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('tool call order, progress and content parts', () => {
  it('runs parallel: false calls alone, in call order, and the others concurrently', async () => {
    const log: string[] = [];
    const timed = (name: string, parallel: boolean) =>
      tool({
        name,
        description: name,
        parameters: z.object({ n: z.number() }),
        parallel,
        execute: async ({ n }) => {
          log.push(`start ${name}${n}`);
          await delay(20);
          log.push(`end ${name}${n}`);
          return n;
        },
      });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'read', arguments: { n: 1 } },
            { name: 'read', arguments: { n: 2 } },
            { name: 'write', arguments: { n: 3 } },
            { name: 'read', arguments: { n: 4 } },
          ],
        },
        { content: 'ok' },
      ],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [timed('read', true), timed('write', false)],
    });
    await agent.run('go');
    expect(log).toEqual([
      'start read1',
      'start read2',
      'end read1',
      'end read2',
      'start write3',
      'end write3',
      'start read4',
      'end read4',
    ]);
  });

  it('streams tool-progress events and sends image results as content parts', async () => {
    const chart = tool({
      name: 'chart',
      description: 'Draws a chart',
      parameters: z.object({}),
      execute: (_args, context) => {
        context.progress?.({ progress: 1, total: 2, message: 'drawing' });
        return new ToolResultContent(
          [
            { type: 'text', text: 'the chart' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
          { bars: 2 },
        );
      },
    });
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'chart', arguments: {} }] },
        {
          expect: (request) =>
            expect(request.body.messages.at(-1).content).toEqual([
              { type: 'text', text: 'the chart' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ]),
          content: 'A chart with two bars.',
        },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [chart] });
    const events: AgentEvent[] = [];
    const run = agent.stream('chart it');
    for await (const event of run) events.push(event);
    const result = await run.result;
    expect(events.find((event) => event.type === 'tool-progress')).toMatchObject({
      type: 'tool-progress',
      stepIndex: 0,
      name: 'chart',
      progress: 1,
      total: 2,
      message: 'drawing',
    });
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      result: { bars: 2 },
      content: 'the chart\n[image]',
    });
    expect(result.text).toBe('A chart with two bars.');
    emulator.assertDone();
  });
});
