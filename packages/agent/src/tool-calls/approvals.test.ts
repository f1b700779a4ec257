import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedRequest } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import { approvalAgent } from '../__fixtures__/approval-agent.js';
import type { AgentEvent } from '../index.js';
import { RunState, RunStateError } from '../index.js';
import { chatRequests, clientFor, emulate } from '../test-helpers.js';

const CALLS = [
  { name: 'list_files', arguments: {}, id: 'call_00_list' },
  { name: 'delete_file', arguments: { path: 'a.tmp' }, id: 'call_01_delete' },
  { name: 'read_file', arguments: { path: '/etc/passwd' }, id: 'call_02_etc' },
  { name: 'read_file', arguments: { path: 'notes.txt' }, id: 'call_03_notes' },
];

function toolContents(request: RecordedRequest): string[] {
  return (request.body.messages as Array<{ role: string; content: string }>)
    .filter((message) => message.role === 'tool')
    .map((message) => message.content);
}

/** The worker reads the same secret from its environment (test value, not a real secret). */
const SECRET = 'test-only-secret-0123456789abcdef0123';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const worker = fileURLToPath(new URL('../__fixtures__/resume-worker.ts', import.meta.url));

function runWorker(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@plumb/source', worker, ...args],
      { cwd: packageDir, timeout: 60_000, env: { ...process.env, STATE_SECRET: SECRET } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

describe('human in the loop: needsApproval', () => {
  it('pauses before running, executes the calls that need no approval, and exposes a serializable state', async () => {
    const emulator = await emulate({ script: [{ toolCalls: CALLS }] });
    const deleted: string[] = [];
    const result = await approvalAgent(clientFor(emulator), deleted).run('Clean up');

    expect(result.finishReason).toBe('interrupted');
    expect(result.interruptions).toEqual([
      {
        id: 'call_01_delete',
        name: 'delete_file',
        args: { path: 'a.tmp' },
        rawArguments: '{"path": "a.tmp"}',
      },
      {
        id: 'call_02_etc',
        name: 'read_file',
        args: { path: '/etc/passwd' },
        rawArguments: '{"path": "/etc/passwd"}',
      },
    ]);
    expect(deleted).toEqual([]);
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['ok', 'pending', 'pending', 'ok']);
    expect(result.messages.map((message) => message.role)).toEqual(['system', 'user']);
    const json = JSON.stringify(result.state);
    expect(json).not.toContain('sk-test');
    expect(JSON.parse(json).version).toBe(2);
    expect(RunState.fromJSON(json).interruptions).toEqual(result.interruptions);
  });

  it('resumes in-process: approved calls run, rejected ones send the reason, results stay in call order', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: CALLS },
        {
          expect: (request) =>
            expect(toolContents(request)).toEqual([
              '["a.tmp","b.tmp"]',
              'deleted a.tmp',
              expect.stringMatching(/rejected.*not allowed/),
              'contents of notes.txt',
            ]),
          content: 'Cleaned up.',
        },
      ],
    });
    const deleted: string[] = [];
    const agent = approvalAgent(clientFor(emulator), deleted);
    const paused = await agent.run('Clean up');
    const state = paused.state as RunState;
    state.approve('call_01_delete').reject('call_02_etc', { reason: 'not allowed' });
    const result = await agent.resume(state);

    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('Cleaned up.');
    expect(deleted).toEqual(['a.tmp']);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['ok', 'ok', 'rejected', 'ok']);
    expect(result.usage.total_tokens).toBe(
      (result.steps[0]?.usage.total_tokens ?? 0) + (result.steps[1]?.usage.total_tokens ?? 0),
    );
    emulator.assertDone();
  });

  it('resuming with an undecided call interrupts again without any request', async () => {
    const emulator = await emulate({ script: [{ toolCalls: CALLS }] });
    const agent = approvalAgent(clientFor(emulator));
    const paused = await agent.run('Clean up');
    const state = (paused.state as RunState).approve('call_01_delete');
    const again = await agent.run(state);
    expect(again.finishReason).toBe('interrupted');
    expect(again.interruptions.map((call) => call.id)).toEqual(['call_01_delete', 'call_02_etc']);
    expect(again.state?.decision('call_01_delete')).toEqual({ approved: true });
    expect(chatRequests(emulator)).toHaveLength(1);
  });

  it('rejects unknown call ids and malformed state JSON with a RunStateError', async () => {
    const emulator = await emulate({ script: [{ toolCalls: CALLS }] });
    const paused = await approvalAgent(clientFor(emulator)).run('Clean up');
    expect(() => paused.state?.approve('call_00_list')).toThrow(RunStateError);
    expect(() => RunState.fromJSON('{not json')).toThrow(RunStateError);
    expect(() => RunState.fromJSON('{"version":3}')).toThrow(/version/);
  });

  it('streams a tool-approval-request event for each pending call', async () => {
    const emulator = await emulate({ script: [{ toolCalls: CALLS }] });
    const run = approvalAgent(clientFor(emulator)).stream('Clean up');
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);
    const requests = events.filter((event) => event.type === 'tool-approval-request');
    expect(requests.map((event) => event.id)).toEqual(['call_01_delete', 'call_02_etc']);
    expect(events.at(-1)).toMatchObject({ type: 'end', result: { finishReason: 'interrupted' } });
  });

  it('resumes from the state JSON in a freshly spawned Node process against the same emulator', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: CALLS },
        {
          expect: (request) =>
            expect(toolContents(request)).toEqual([
              '["a.tmp","b.tmp"]',
              'deleted a.tmp',
              expect.stringMatching(/system files are protected/),
              'contents of notes.txt',
            ]),
          content: 'Cleaned up in another process.',
        },
      ],
    });
    const paused = await approvalAgent(clientFor(emulator)).run('Clean up');
    expect(paused.finishReason).toBe('interrupted');
    paused.state?.approve('call_01_delete');
    const dir = await mkdtemp(join(tmpdir(), 'plumb-agent-state-'));
    try {
      const file = join(dir, 'state.json');
      // Signed, so the approval taken here travels with the state (unsigned JSON carries none).
      await writeFile(file, await paused.state!.toSignedJSON({ secret: SECRET }));
      const output = JSON.parse(await runWorker([emulator.url, file, 'call_02_etc']));
      expect(output).toEqual({
        finishReason: 'stop',
        text: 'Cleaned up in another process.',
        deleted: ['a.tmp'],
        roles: ['system', 'user', 'assistant', 'tool', 'tool', 'tool', 'tool', 'assistant'],
        statuses: ['ok', 'ok', 'rejected', 'ok'],
        steps: 2,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(chatRequests(emulator)).toHaveLength(2);
    emulator.assertDone();
  });
});
