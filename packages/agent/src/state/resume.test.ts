import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { unknownToolError, unknownToolText } from '@plumb/tools/internal';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { approvalAgent } from '../__fixtures__/approval-agent.js';
import { Agent, RunState } from '../index.js';
import { chatRequests, clientFor, emulate, rawMessages, rawTools } from '../test-helpers.js';

const CALLS = [
  { name: 'list_files', arguments: {}, id: 'call_00_list' },
  { name: 'delete_file', arguments: { path: 'a.tmp' }, id: 'call_01_delete' },
];

/** A state as another process would read it: through JSON text. */
function roundTrip(state: RunState | undefined): RunState {
  return RunState.fromJSON(JSON.stringify(state));
}

describe('resuming an interrupted run', () => {
  it("replays the interrupted turn's real reasoning_content, extending the paused request byte for byte", async () => {
    const reasoning = 'The user wants a cleanup. I will list the files, then delete a.tmp.';
    const emulator = await emulate({
      script: [
        { reasoning, toolCalls: CALLS },
        {
          expect: (request) => {
            const assistant = request.body.messages.find(
              (message: { role: string }) => message.role === 'assistant',
            );
            expect(assistant.reasoning_content).toBe(reasoning);
          },
          content: 'Done.',
        },
      ],
    });
    const agent = approvalAgent(clientFor(emulator));
    const paused = await agent.run('Clean up');
    expect(paused.steps[0]?.reasoning).toBe(reasoning);
    const state = roundTrip(paused.state).approve('call_01_delete');
    const result = await agent.run(state);
    expect(result.finishReason).toBe('stop');
    const [before, after] = chatRequests(emulator);
    expect(rawMessages(after!).startsWith(rawMessages(before!).slice(0, -1))).toBe(true);
    expect(rawTools(after!)).toBe(rawTools(before!));
    emulator.assertDone();
  });

  it('parses approved arguments again, so zod transforms survive the JSON round trip', async () => {
    const seen: unknown[] = [];
    const schedule = tool({
      name: 'schedule',
      description: 'Schedules a job',
      parameters: z.object({ at: z.string().transform((text) => new Date(text)) }),
      needsApproval: true,
      execute: ({ at }) => {
        seen.push(at);
        return at.toISOString();
      },
    });
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'schedule', arguments: { at: '2030-01-02T03:04:05Z' }, id: 'call_00_s' }] },
        { content: 'Scheduled.' },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [schedule] });
    const paused = await agent.run('Schedule it');
    const result = await agent.run(roundTrip(paused.state).approve('call_00_s'));

    expect(result.finishReason).toBe('stop');
    expect(seen).toEqual([new Date('2030-01-02T03:04:05Z')]);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      status: 'ok',
      content: '2030-01-02T03:04:05.000Z',
    });
    emulator.assertDone();
  });

  it("answers an approved call whose arguments the resuming agent's tool rejects with the error", async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'notify', arguments: { to: 'ops' }, id: 'call_00_n' }] },
        {
          expect: (request) => expect(request.body.messages.at(-1).content).toMatch(/channel/),
          content: 'Could not notify.',
        },
      ],
    });
    const notify = (parameters: z.ZodObject) =>
      tool({
        name: 'notify',
        description: 'Notifies',
        parameters,
        needsApproval: true,
        execute: () => 'sent',
      });
    const before = new Agent({ client: clientFor(emulator), tools: [notify(z.object({ to: z.string() }))] });
    const paused = await before.run('Notify ops');
    const after = new Agent({
      client: clientFor(emulator),
      tools: [notify(z.object({ channel: z.string() }))],
    });
    const result = await after.run(roundTrip(paused.state).approve('call_00_n'));

    expect(result.finishReason).toBe('stop');
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('error');
    emulator.assertDone();
  });

  it('answers an approved call of a tool the resuming agent lacks as an unknown tool, the one way', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'notify', arguments: { to: 'ops' }, id: 'call_00_n' }] },
        {
          expect: (request) =>
            expect(request.body.messages.at(-1).content).toBe(unknownToolText('notify', ['page'])),
          content: 'Could not notify.',
        },
      ],
    });
    const make = (name: string) =>
      tool({
        name,
        description: 'Notifies',
        parameters: z.object({ to: z.string() }),
        needsApproval: true,
        execute: () => 'sent',
      });
    const paused = await new Agent({ client: clientFor(emulator), tools: [make('notify')] }).run(
      'Notify ops',
    );
    const after = new Agent({ client: clientFor(emulator), tools: [make('page')] });
    const result = await after.run(roundTrip(paused.state).approve('call_00_n'));

    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      status: 'error',
      error: unknownToolError('notify', ['page']),
    });
    emulator.assertDone();
  });

  it('resuming with an aborted signal sends nothing and answers the pending calls as cancelled', async () => {
    const emulator = await emulate({ script: [{ toolCalls: CALLS }, { content: 'Continued.' }] });
    const deleted: string[] = [];
    const agent = approvalAgent(clientFor(emulator), deleted);
    const paused = await agent.run('Clean up');
    const controller = new AbortController();
    controller.abort();
    const state = roundTrip(paused.state).approve('call_01_delete');
    const result = await agent.run(state, { signal: controller.signal });

    expect(result.finishReason).toBe('aborted');
    expect(deleted).toEqual([]);
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['ok', 'cancelled']);
    expect(result.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
    ]);
    expect(chatRequests(emulator)).toHaveLength(1);
    const next = await agent.run([...result.messages, { role: 'user', content: 'Go on' }]);
    expect(next.finishReason).toBe('stop');
    emulator.assertDone();
  });
});

describe('the serialized RunState never holds the API key', () => {
  it('in JSON.stringify(state), state.toString() or the JSON of the whole result', async () => {
    const apiKey = 'sk-live-7f3a9c0e5b2d4f6a8c1e3b5d7f9a0c2e';
    const emulator = await emulate({
      apiKey,
      script: [
        { toolCalls: CALLS },
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'b.tmp' }, id: 'call_00_again' }] },
      ],
    });
    const client = new DeepSeek({ apiKey, baseURL: emulator.url, maxRetries: 0 });
    const agent = approvalAgent(client);
    const paused = await agent.run('Clean up', { data: { note: 'run data is not stored' } });
    const again = await agent.run(roundTrip(paused.state).approve('call_01_delete'));
    expect(again.finishReason).toBe('interrupted');

    for (const result of [paused, again]) {
      const texts = [JSON.stringify(result.state), String(result.state), JSON.stringify(result)];
      for (const text of texts) {
        expect(text).not.toContain(apiKey);
        expect(text).not.toContain(apiKey.slice(3));
        expect(text).not.toContain('run data is not stored');
      }
    }
    expect(Object.keys(JSON.parse(JSON.stringify(again.state))).sort()).toEqual([
      'consecutiveToolErrors',
      'cost',
      'id',
      'messages',
      'outputRetries',
      'runId',
      'steps',
      'turn',
      'usage',
      'version',
    ]);
    emulator.assertDone();
  });
});
