import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { chatRequests, clientFor, delay, emulate } from '../test-helpers.js';

/** Waits (bounded) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await delay(5);
  if (!condition()) throw new Error('condition not reached');
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback server that starts an SSE answer and then stalls, recording when the client hangs up. */
async function stallingServer(): Promise<{ url: string; received: () => number; closed: () => number }> {
  let received = 0;
  let closed = 0;
  const server = createServer((request, response) => {
    received++;
    request.resume();
    response.on('close', () => closed++);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(': keep-alive\n\n');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received: () => received, closed: () => closed };
}

function approvalTool(needsApproval: () => Promise<boolean>, executed: string[]) {
  return tool({
    name: 'deploy',
    description: 'Deploys',
    parameters: z.object({}),
    needsApproval,
    execute: () => {
      executed.push('deploy');
      return 'deployed';
    },
  });
}

describe('abort in each phase', () => {
  it('while waiting for the model: the HTTP request itself is closed, not just abandoned', async () => {
    const server = await stallingServer();
    const client = new DeepSeek({ apiKey: 'sk-test', baseURL: server.url, maxRetries: 0 });
    const controller = new AbortController();
    const running = new Agent({ client }).run('Hello', { signal: controller.signal });
    await until(() => server.received() === 1);
    controller.abort();
    const result = await running;

    expect(result.finishReason).toBe('aborted');
    await until(() => server.closed() === 1);
    expect(server.received()).toBe(1);
  });

  it('during an async needsApproval check that never settles: ends at once, the call answered as cancelled', async () => {
    const executed: string[] = [];
    const controller = new AbortController();
    let checking = false;
    const deploy = approvalTool(() => {
      checking = true;
      return new Promise(() => {});
    }, executed);
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'deploy', arguments: {} }] }, { content: 'Continued.' }],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [deploy] });
    const running = agent.run('Deploy', { signal: controller.signal });
    await until(() => checking);
    controller.abort();
    const result = await running;

    expect(result.finishReason).toBe('aborted');
    expect(executed).toEqual([]);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      status: 'cancelled',
      content: expect.stringMatching(/cancelled/),
    });
    expect(result.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    const next = await agent.run([...result.messages, { role: 'user', content: 'Go on' }]);
    expect(next.finishReason).toBe('stop');
    emulator.assertDone();
  });

  it('after the other calls of a turn with a pending approval ran: the pending call is cancelled, not interrupted', async () => {
    const executed: string[] = [];
    const controller = new AbortController();
    const deploy = approvalTool(async () => true, executed);
    const other = tool({
      name: 'status',
      description: 'Reports the status',
      parameters: z.object({}),
      execute: () => 'green',
    });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'deploy', arguments: {} },
            { name: 'status', arguments: {} },
          ],
        },
      ],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [deploy, other],
      hooks: { onToolCallEnd: () => controller.abort() },
    });
    const result = await agent.run('Deploy', { signal: controller.signal });

    expect(result.finishReason).toBe('aborted');
    expect(result.state).toBeUndefined();
    expect(result.interruptions).toEqual([]);
    expect(executed).toEqual([]);
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['cancelled', 'ok']);
    expect(result.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
    expect(chatRequests(emulator)).toHaveLength(1);
  });
});
