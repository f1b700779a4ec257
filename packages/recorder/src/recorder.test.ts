import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, AgentRunError, RunState } from '@plumb/agent';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createRecorder,
  JsonlRunStore,
  MemoryRunStore,
  type RecordedEvent,
  RecorderError,
  registerFromEnv,
  SqliteRunStore,
  unregister,
} from './index.js';
import { after, clientFor, emulate, sqliteSkipReason, tempDir, weatherTool } from './test-helpers.js';

const weatherScript = [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  { content: 'It is 21C in Paris.' },
];

const types = (events: RecordedEvent[]) => events.map((event) => event.type);

describe('the run recorder', () => {
  it.skipIf(sqliteSkipReason !== undefined)(
    `records a run into a real SQLite file: steps, deltas, tool calls, results, durations, usage, cost${sqliteSkipReason ? ` (skipped: ${sqliteSkipReason})` : ''}`,
    async () => {
      const emulator = await emulate({ script: weatherScript });
      const path = join(tempDir(), '.plumb', 'runs.db');
      const recorder = createRecorder({ store: path });
      after(() => recorder.close());
      const agent = new Agent({
        client: clientFor(emulator),
        name: 'weather',
        tools: [weatherTool()],
        recorder,
      });
      const result = await agent.run('Weather in Paris?');
      expect(existsSync(path)).toBe(true);

      // Read back through a second store on the same file (what the run viewer does).
      const reader = new SqliteRunStore({ path });
      after(() => reader.close());
      const [run] = reader.listRuns();
      expect(run).toMatchObject({
        agent: 'weather',
        model: 'deepseek-flash',
        status: 'done',
        finishReason: 'stop',
        steps: 2,
        toolCalls: 1,
        usage: result.usage,
        cost: result.cost,
      });
      expect(run!.durationMs).toBeGreaterThan(0);
      const recorded = reader.readRun(run!.runId)!;
      const kinds = types(recorded.events);
      expect(kinds[0]).toBe('run-start');
      expect(kinds.at(-1)).toBe('run-end');
      expect(kinds).toContain('text-delta');
      expect(kinds).toContain('reasoning-delta');
      expect(kinds.filter((kind) => kind === 'step-start')).toHaveLength(2);
      expect(kinds.filter((kind) => kind === 'step-end')).toHaveLength(2);
      expect(recorded.events.map((event) => event.seq)).toEqual(recorded.events.map((_, index) => index));
      const start = recorded.events[0]!.data as { messages: Array<{ content: string }> };
      expect(start.messages.at(-1)?.content).toBe('Weather in Paris?');
      const call = recorded.events.find((event) => event.type === 'tool-call')!;
      expect(call.stepIndex).toBe(0);
      expect(call.data).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
      const toolResult = recorded.events.find((event) => event.type === 'tool-result')!.data as {
        toolCall: { result: unknown; startedAt: string; endedAt: string; durationMs: number };
      };
      expect(toolResult.toolCall.result).toEqual({ city: 'Paris', celsius: 21 });
      expect(toolResult.toolCall.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(toolResult.toolCall.startedAt)).toBeLessThanOrEqual(
        Date.parse(toolResult.toolCall.endedAt),
      );
      const stepEnd = recorded.events.find((event) => event.type === 'step-end')!.data as {
        step: { requestId: string; latencyMs: number; retries: number; usage: unknown };
      };
      expect(stepEnd.step.requestId).toBe(result.steps[0]!.requestId);
      expect(stepEnd.step.latencyMs).toBeGreaterThan(0);
      expect(stepEnd.step.retries).toBe(0);
      expect(recorded.events.at(-1)!.data).toMatchObject({
        finishReason: 'stop',
        text: 'It is 21C in Paris.',
      });
    },
  );

  it('records approvals, the resumed run and the link between them', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'a.txt' } }] },
        { content: 'Deleted.' },
      ],
    });
    const deleteFile = tool({
      name: 'delete_file',
      description: 'Deletes a file',
      parameters: z.object({ path: z.string() }),
      needsApproval: true,
      execute: async () => 'deleted',
    });
    const store = new MemoryRunStore();
    const recorder = createRecorder({ store });
    const agent = new Agent({ client: clientFor(emulator), tools: [deleteFile], recorder });
    const paused = await agent.run('Delete a.txt');
    const state = RunState.fromJSON(JSON.stringify(paused.state));
    for (const call of state.interruptions) state.approve(call.id);
    await agent.run(state);
    const [resumed, first] = await recorder.listRuns();
    expect(first).toMatchObject({ status: 'done', finishReason: 'interrupted' });
    expect(resumed).toMatchObject({ status: 'done', finishReason: 'stop', resumedFrom: first!.runId });
    const firstEvents = (await recorder.readRun(first!.runId))!.events;
    expect(types(firstEvents)).toContain('tool-approval-request');
    const resumedEvents = (await recorder.readRun(resumed!.runId))!.events;
    const decisions = resumedEvents.find((event) => event.type === 'approval-decisions')!;
    expect(Object.values((decisions.data as { decisions: object }).decisions)).toEqual([{ approved: true }]);
  });

  it('records errors and sub-agent runs with their parent, and masks keys and secrets', async () => {
    const emulator = await emulate({
      script: (request) => {
        const system = request.body.messages[0]?.content ?? '';
        const last = request.body.messages.at(-1);
        if (system.startsWith('Researcher')) return { content: 'Paris is at 21C, token tok-very-secret' };
        return last.role === 'tool'
          ? { fault: { status: 402 } }
          : { toolCalls: [{ name: 'researcher', arguments: { input: 'Weather in Paris? key sk-test' } }] };
      },
    });
    const store = new MemoryRunStore();
    const recorder = createRecorder({ store, secrets: ['tok-very-secret'] });
    const client = clientFor(emulator);
    const researcher = new Agent({ client, name: 'researcher', instructions: 'Researcher.', recorder });
    const manager = new Agent({
      client,
      name: 'manager',
      instructions: 'Manager.',
      tools: [researcher.asTool({ description: 'Looks things up' })],
      recorder,
    });
    await expect(manager.run('How warm is Paris? My key: sk-test')).rejects.toBeInstanceOf(AgentRunError);
    const runs = await recorder.listRuns();
    const parent = runs.find((run) => run.agent === 'manager')!;
    const child = runs.find((run) => run.agent === 'researcher')!;
    expect(parent).toMatchObject({ status: 'error', finishReason: 'error', steps: 1, toolCalls: 1 });
    expect(parent.error).toMatch(/^AgentRunError: .*402/);
    expect(child).toMatchObject({
      status: 'done',
      parentRunId: parent.runId,
      parentCallId: expect.any(String),
    });
    expect(await recorder.listRuns({ parentRunId: parent.runId })).toEqual([child]);
    const parentEvents = (await recorder.readRun(parent.runId))!.events;
    expect(parentEvents.at(-1)).toMatchObject({ type: 'run-error', data: { name: 'AgentRunError' } });
    const everything = JSON.stringify([runs, parentEvents, (await recorder.readRun(child.runId))!.events]);
    expect(everything).not.toContain('sk-test');
    expect(everything).not.toContain('tok-very-secret');
    expect(everything).toContain('****');
  });

  it('writes JSON Lines, and skips deltas when asked', async () => {
    const emulator = await emulate({ script: weatherScript });
    const path = join(tempDir(), 'runs.jsonl');
    const recorder = createRecorder({ store: path, deltas: false });
    expect(recorder.store).toBeInstanceOf(JsonlRunStore);
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()], recorder });
    await agent.run('Weather in Paris?');
    const [run] = new JsonlRunStore(path).listRuns();
    expect(run?.status).toBe('done');
    const kinds = types(new JsonlRunStore(path).readRun(run!.runId)!.events);
    expect(kinds).not.toContain('text-delta');
    expect(kinds).toContain('tool-result');
  });

  it.skipIf(sqliteSkipReason !== undefined)(
    `records every agent of the process when PLUMB_RECORD is set; recorder: false opts out${sqliteSkipReason ? ` (skipped: ${sqliteSkipReason})` : ''}`,
    async () => {
      const emulator = await emulate({ script: [{ content: 'one' }, { content: 'two' }] });
      const path = join(tempDir(), 'env', 'runs.db');
      expect(registerFromEnv({ PLUMB_RECORD: '0' })).toBeUndefined();
      const recorder = registerFromEnv({ PLUMB_RECORD: path })!;
      after(async () => {
        unregister();
        await recorder.close();
      });
      await new Agent({ client: clientFor(emulator) }).run('Hello');
      await new Agent({ client: clientFor(emulator), recorder: false }).run('Hello');
      const runs = await recorder.listRuns();
      expect(runs).toHaveLength(1);
      expect(recorder.store).toBeInstanceOf(SqliteRunStore);
    },
  );

  it('rejects bad options with a clear error', () => {
    expect(() => createRecorder({ store: 42 as never })).toThrow(RecorderError);
    expect(() => new Agent({ recorder: {} as never, client: undefined })).toThrow(/recorder/);
  });
});
