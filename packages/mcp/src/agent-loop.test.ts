import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, type AgentEvent, RunState } from '@plumb/agent';
import { DeepSeek } from '@plumb/core';
import { type EmulatorOptions, startEmulator } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectMcp, createMcpServer, type McpConnection } from './index.js';
import { EVERYTHING, FILESYSTEM, onCleanup, tempDir, waitFor } from './test-helpers.js';

// Agent loops against the DeepSeek emulator that call MCP tools of real servers.

async function emulate(script: EmulatorOptions['script']) {
  const emulator = await startEmulator({ apiKey: 'sk-test', script });
  onCleanup(() => emulator.close());
  return { emulator, client: new DeepSeek({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0 }) };
}

async function stdio(name: string, args: string[]): Promise<McpConnection> {
  const connection = await connectMcp({ name, command: process.execPath, args, stderr: 'ignore' });
  onCleanup(() => connection.close());
  return connection;
}

async function collect(run: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

/** The content of the tool messages of a request, by tool_call_id. */
function toolMessages(body: { messages: Array<{ role: string; tool_call_id?: string; content: unknown }> }) {
  return Object.fromEntries(
    body.messages.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content]),
  );
}

describe('an agent using MCP tools', () => {
  it('thinking mode, parallel calls: results in call order, reasoning replayed, image parts sent', async () => {
    const everything = await stdio('everything', [EVERYTHING]);
    const reasoning = 'I need the sum, an echo and the image, all at once.';
    const { emulator, client } = await emulate([
      {
        reasoning,
        toolCalls: [
          { id: 'call_00_sum', name: 'everything_get-sum', arguments: { a: 19, b: 23 } },
          { id: 'call_01_echo', name: 'everything_echo', arguments: { message: 'hello' } },
          { id: 'call_02_image', name: 'everything_get-tiny-image', arguments: {} },
        ],
      },
      {
        expect: (request) => {
          const assistant = request.body.messages.find((m: { role: string }) => m.role === 'assistant');
          expect(assistant.reasoning_content).toBe(reasoning);
          const results = toolMessages(request.body);
          expect(results.call_00_sum).toMatch(/42/);
          expect(results.call_01_echo).toMatch(/hello/);
          expect(results.call_02_image).toEqual(
            expect.arrayContaining([expect.objectContaining({ type: 'image_url' })]),
          );
          expect(
            request.body.messages
              .filter((m: { role: string }) => m.role === 'tool')
              .map((m: { tool_call_id: string }) => m.tool_call_id),
          ).toEqual(['call_00_sum', 'call_01_echo', 'call_02_image']);
        },
        content: 'The sum is 42.',
      },
    ]);
    const agent = new Agent({ client, tools: [everything], thinking: true });
    const result = await agent.run('Add 19 and 23, echo hello, show the image.');
    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('The sum is 42.');
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['ok', 'ok', 'ok']);
    expect(
      emulator.requests[0]?.body.tools.map((t: { function: { name: string } }) => t.function.name),
    ).toEqual(everything.tools.map((t) => t.name));
    emulator.assertDone();
  });

  it('several servers at once: each prefixed, in the order given, called in one turn', async () => {
    const everything = await stdio('everything', [EVERYTHING]);
    const dir = tempDir();
    const fs = await stdio('fs', [FILESYSTEM, dir]);
    const { emulator, client } = await emulate([
      {
        toolCalls: [
          { id: 'call_00_echo', name: 'everything_echo', arguments: { message: 'from one' } },
          { id: 'call_01_dirs', name: 'fs_list_allowed_directories', arguments: {} },
        ],
      },
      {
        expect: (request) => {
          const results = toolMessages(request.body);
          expect(results.call_00_echo).toMatch(/from one/);
          expect(results.call_01_dirs).toContain(dir.split('/').at(-1));
        },
        content: 'Both answered.',
      },
    ]);
    const result = await new Agent({ client, tools: [everything, fs] }).run('Use both servers');
    expect(result.text).toBe('Both answered.');
    const sent = emulator.requests[0]?.body.tools.map((t: { function: { name: string } }) => t.function.name);
    expect(sent).toEqual([...everything.tools, ...fs.tools].map((t) => t.name));
    // The same bytes on every step: DeepSeek's cached prefix holds through the tools.
    const tools = (index: number) => JSON.stringify(emulator.requests[index]?.body.tools);
    expect(tools(1)).toBe(tools(0));
    expect(emulator.requests[1]?.rawBody).toContain(tools(0));
  });

  it('strict mode: every tool of the server strict, so the request goes to /beta', async () => {
    const dir = tempDir();
    const fs = await connectMcp({
      name: 'fs',
      command: process.execPath,
      args: [FILESYSTEM, dir],
      stderr: 'ignore',
      strict: true,
    });
    onCleanup(() => fs.close());
    const { emulator, client } = await emulate([
      { toolCalls: [{ name: 'fs_list_allowed_directories', arguments: {} }] },
      { content: 'One folder.' },
    ]);
    const result = await new Agent({ client, tools: [fs] }).run('Which folders can you see?');
    expect(result.text).toBe('One folder.');
    expect(emulator.requests.map((request) => request.path)).toEqual([
      '/beta/chat/completions',
      '/beta/chat/completions',
    ]);
    expect(
      emulator.requests[0]?.body.tools.every(
        (t: { function: { strict?: boolean } }) => t.function.strict === true,
      ),
    ).toBe(true);
  });

  it('cancellation mid-call: the run ends aborted and the server receives the MCP cancellation', async () => {
    const cancelled: string[] = [];
    const slow = tool({
      name: 'slow',
      description: 'A long job',
      parameters: z.object({}),
      execute: async (_args, context) => {
        for (let step = 1; step <= 200; step++) {
          context.progress?.({ progress: step, total: 200 });
          await new Promise((resolve) => setTimeout(resolve, 25));
          if (context.signal.aborted) {
            cancelled.push(String(context.signal.reason));
            return 'stopped';
          }
        }
        return 'done';
      },
    });
    const endpoint = await createMcpServer({ name: 'jobs', tools: [slow] }).listen();
    onCleanup(() => endpoint.close());
    const jobs = await connectMcp({ name: 'jobs', url: endpoint.url });
    onCleanup(() => jobs.close());
    const { client } = await emulate([{ toolCalls: [{ name: 'jobs_slow', arguments: {} }] }]);
    const controller = new AbortController();
    const agent = new Agent({ client, tools: [jobs] });
    const run = agent.stream('Run the job', { signal: controller.signal });
    const events: AgentEvent[] = [];
    for await (const event of run) {
      events.push(event);
      if (event.type === 'tool-progress' && event.progress === 2) controller.abort(new Error('user stop'));
    }
    const result = await run.result;
    expect(result.finishReason).toBe('aborted');
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('cancelled');
    expect(events.filter((event) => event.type === 'tool-progress').length).toBeGreaterThanOrEqual(2);
    await waitFor(() => cancelled.length > 0);
    expect(cancelled[0]).toMatch(/user stop|cancel/i);
  });

  it('a server killed mid-call: the call fails clearly and the run goes on', async () => {
    const everything = await stdio('everything', [EVERYTHING]);
    const { emulator, client } = await emulate([
      {
        toolCalls: [
          {
            id: 'call_00_long',
            name: 'everything_trigger-long-running-operation',
            arguments: { duration: 10, steps: 100 },
          },
        ],
      },
      {
        expect: (request) =>
          expect(toolMessages(request.body).call_00_long).toMatch(/went away during the call/),
        content: 'The tool server crashed; I could not finish.',
      },
    ]);
    const agent = new Agent({ client, tools: [everything] });
    const pid = everything.pid as number;
    const run = agent.stream('Run the long operation');
    let killed = false;
    for await (const event of run) {
      if (event.type === 'tool-progress' && !killed) {
        killed = true;
        process.kill(pid, 'SIGKILL');
      }
    }
    const result = await run.result;
    expect(result.finishReason).toBe('stop');
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('error');
    emulator.assertDone();
  });

  it('tools/list_changed mid-run takes effect at the next step and is reported', async () => {
    const server = createMcpServer({ name: 'vault', tools: [] });
    const secret = tool({
      name: 'read_secret',
      description: 'Reads the secret',
      parameters: z.object({}),
      execute: () => 'swordfish',
    });
    const unlock = tool({
      name: 'unlock',
      description: 'Unlocks the vault',
      parameters: z.object({}),
      execute: async () => {
        await server.setTools([unlock, secret]); // sends tools/list_changed before answering
        return 'unlocked';
      },
    });
    await server.setTools([unlock]);
    const endpoint = await server.listen();
    onCleanup(() => endpoint.close());
    const vault = await connectMcp({ name: 'vault', url: endpoint.url });
    onCleanup(() => vault.close());
    const { emulator, client } = await emulate([
      { toolCalls: [{ name: 'vault_unlock', arguments: {} }] },
      { toolCalls: [{ name: 'vault_read_secret', arguments: {} }] },
      { content: 'The secret is swordfish.' },
    ]);
    const agent = new Agent({ client, tools: [vault] });
    const events = await collect(agent.stream('Open the vault and read the secret'));
    expect(events.filter((event) => event.type === 'tools-changed')).toEqual([
      { type: 'tools-changed', stepIndex: 1, added: ['vault_read_secret'], removed: [], changed: [] },
    ]);
    const names = (index: number) =>
      emulator.requests[index]?.body.tools.map((t: { function: { name: string } }) => t.function.name);
    expect(names(0)).toEqual(['vault_unlock']);
    expect(names(1)).toEqual(['vault_read_secret', 'vault_unlock']);
    const end = events.at(-1);
    expect(end?.type === 'end' && end.result.steps[1]?.toolCalls[0]?.content).toBe('swordfish');
  });

  it('pauses on a destructive tool and resumes from the saved state; changed server tools fail closed', async () => {
    const dir = tempDir();
    const fs = await stdio('fs', [FILESYSTEM, dir]);
    const path = join(dir, 'plan.txt');
    const { emulator, client } = await emulate([
      {
        toolCalls: [{ id: 'call_00_write', name: 'fs_write_file', arguments: { path, content: 'ship it' } }],
      },
      { content: 'Written.' },
    ]);
    const agent = new Agent({ client, tools: [fs] });
    const paused = await agent.run('Write the plan');
    expect(paused.finishReason).toBe('interrupted');
    expect(paused.interruptions.map((call) => call.name)).toEqual(['fs_write_file']);
    const saved = JSON.stringify(paused.state);

    // First, the state against a server whose tools changed since the pause: refused, nothing sent.
    const server = createMcpServer({
      name: 'fs',
      tools: [
        tool({
          name: 'write_file',
          description: 'other',
          parameters: z.object({}),
          execute: () => 'x',
          needsApproval: true,
        }),
      ],
    });
    const endpoint = await server.listen();
    onCleanup(() => endpoint.close());
    const other = await connectMcp({ name: 'fs', url: endpoint.url });
    onCleanup(() => other.close());
    await expect(
      new Agent({ client, tools: [other] }).run(RunState.fromJSON(saved).approve('call_00_write')),
    ).rejects.toThrow(/tools of "fs" changed since this run was paused/);
    expect(emulator.requests).toHaveLength(1);

    // Then against the same server: the approved write runs and the run ends.
    const resumed = await agent.run(RunState.fromJSON(saved).approve('call_00_write'));
    expect(resumed.finishReason).toBe('stop');
    expect(readFileSync(path, 'utf8')).toBe('ship it');
    emulator.assertDone();
  });
});
