import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, RunState, RunStateError } from '../index.js';
import { chatRequests, clientFor, emulate } from '../test-helpers.js';

const SECRET = 'test-only-secret-0123456789abcdef0123';

/** A paused run whose `delete_file` call waits for approval, plus what the tools did. */
async function paused(extraScript: object[] = [{ content: 'Done.' }]) {
  const emulator = await emulate({
    script: [
      {
        toolCalls: [
          { name: 'list_files', arguments: {}, id: 'call_00_list' },
          { name: 'delete_file', arguments: { path: 'a.tmp' }, id: 'call_01_del' },
        ],
      },
      ...extraScript,
    ],
  });
  const deleted: string[] = [];
  const agent = new Agent({
    client: clientFor(emulator),
    tools: [
      tool({ name: 'list_files', description: 'd', parameters: z.object({}), execute: () => ['a.tmp'] }),
      tool({
        name: 'delete_file',
        description: 'd',
        parameters: z.object({ path: z.string() }),
        needsApproval: true,
        execute: ({ path }) => {
          deleted.push(path);
          return `deleted ${path}`;
        },
      }),
    ],
  });
  const result = await agent.run('Clean up');
  expect(result.finishReason).toBe('interrupted');
  return { agent, state: result.state as RunState, deleted, emulator };
}

function edit(state: RunState, change: (data: any) => void): string {
  const data = JSON.parse(JSON.stringify(state));
  change(data);
  return JSON.stringify(data);
}

describe('what runs is what the approver was shown', () => {
  it('interruptions show the exact argument bytes that will run', async () => {
    const { state } = await paused();
    expect(state.interruptions).toEqual([
      { id: 'call_01_del', name: 'delete_file', args: { path: 'a.tmp' }, rawArguments: '{"path": "a.tmp"}' },
    ]);
  });

  it('editing the turn’s arguments in the JSON is refused (they no longer match the shown call)', async () => {
    const { state } = await paused();
    const json = edit(state, (data) => {
      data.turn.tool_calls[1].function.arguments = '{"path":"/etc/passwd"}';
    });
    expect(() => RunState.fromJSON(json)).toThrow(RunStateError);
    expect(() => RunState.fromJSON(json)).toThrow(/turn\.tool_calls\[1\]\.function\.arguments/);
  });

  it('adding a call to the turn is refused', async () => {
    const { state } = await paused();
    const json = edit(state, (data) => {
      data.turn.tool_calls.push({
        id: 'call_02_evil',
        type: 'function',
        function: { name: 'delete_file', arguments: '{"path":"important"}' },
      });
    });
    expect(() => RunState.fromJSON(json)).toThrow(/turn\.tool_calls/);
  });

  it('decisions written into the JSON are refused: decisions come from approve()/reject()', async () => {
    const { state } = await paused();
    const json = edit(state, (data) => {
      data.decisions = { call_01_del: { approved: true } };
    });
    expect(() => RunState.fromJSON(json)).toThrow(/decisions/);
    // An approval taken before JSON.stringify does not travel in unsigned JSON either.
    state.approve('call_01_del');
    expect(JSON.parse(JSON.stringify(state)).decisions).toBeUndefined();
    expect(RunState.fromJSON(JSON.stringify(state)).decision('call_01_del')).toBeUndefined();
  });

  it('rawArguments edited to differ from the args shown: the resume fails before anything runs', async () => {
    const { agent, state, deleted, emulator } = await paused();
    const json = edit(state, (data) => {
      const raw = '{"path":"../../etc/passwd"}';
      data.turn.tool_calls[1].function.arguments = raw;
      data.steps[0].toolCalls[1].rawArguments = raw;
    });
    const loaded = RunState.fromJSON(json);
    expect(loaded.interruptions[0]?.args).toEqual({ path: 'a.tmp' });
    await expect(agent.run(loaded.approve('call_01_del'))).rejects.toThrow(RunStateError);
    expect(deleted).toEqual([]);
    expect(chatRequests(emulator)).toHaveLength(1);
  });
});

describe('signed states (HMAC-SHA-256, Web Crypto)', () => {
  it('round-trips with the decisions taken before signing', async () => {
    const { agent, state, deleted } = await paused();
    state.approve('call_01_del');
    const signed = await state.toSignedJSON({ secret: SECRET });
    expect(signed).not.toContain(SECRET);
    const loaded = await RunState.fromSignedJSON(signed, { secret: SECRET });
    expect(loaded.decision('call_01_del')).toEqual({ approved: true });
    expect((await agent.run(loaded)).finishReason).toBe('stop');
    expect(deleted).toEqual(['a.tmp']);
  });

  it('accepts a secret given as bytes', async () => {
    const { state } = await paused();
    const secret = new Uint8Array(32).fill(7);
    const loaded = await RunState.fromSignedJSON(await state.toSignedJSON({ secret }), { secret });
    expect(loaded.id).toBe(state.id);
  });

  it('refuses any change to the signed text, another secret, and a short secret', async () => {
    const { state } = await paused();
    state.approve('call_01_del');
    const signed = await state.toSignedJSON({ secret: SECRET });
    const envelope = JSON.parse(signed);
    const tampered = JSON.stringify({ ...envelope, payload: envelope.payload.replace('a.tmp', 'b.tmp') });
    await expect(RunState.fromSignedJSON(tampered, { secret: SECRET })).rejects.toThrow(
      /signature does not match/,
    );
    await expect(RunState.fromSignedJSON(signed, { secret: `${SECRET}x` })).rejects.toThrow(RunStateError);
    const error = await RunState.fromSignedJSON(signed, { secret: 'short' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RunStateError);
    expect(String(error)).toMatch(/at least 32 bytes/);
    expect(String(error)).not.toContain('short');
    expect(() => RunState.fromJSON(signed)).toThrow(/fromSignedJSON/);
  });
});
