import type { RecordedRequest } from '@plumb/testing';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { clientFor, emulate, weatherTool } from '../test-helpers.js';
import { scriptedModel } from '../testing/index.js';

/** The content of the tool message answering the last call of the request's history. */
function lastToolContent(request: RecordedRequest): string {
  const messages = request.body.messages as Array<{ role: string; content: string }>;
  return messages.filter((message) => message.role === 'tool').at(-1)?.content ?? '';
}

describe('tool failures go back to the model, which can correct itself', () => {
  it('an unknown tool gets an error result listing the available tools; the model then calls the right one', async () => {
    const calls: string[] = [];
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_wether', arguments: { city: 'Paris' } }] },
        {
          expect: (request) =>
            expect(lastToolContent(request)).toMatch(/no tool named "get_wether".*get_weather/),
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { content: 'Sunny' },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [weatherTool(calls)] }).run(
      'Paris?',
    );

    expect(result.finishReason).toBe('stop');
    expect(calls).toEqual(['Paris']);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({
      name: 'get_wether',
      status: 'error',
      error: expect.stringMatching(/unknown tool/),
    });
    emulator.assertDone();
  });

  it('malformed JSON and schema-invalid arguments are answered with what to fix', async () => {
    const calls: string[] = [];
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'get_weather', arguments: '{"city": }' },
            { name: 'get_weather', arguments: { town: 'Paris' } },
          ],
        },
        {
          expect: (request) => {
            const tools = (request.body.messages as Array<{ role: string; content: string }>).filter(
              (m) => m.role === 'tool',
            );
            expect(tools[0]?.content).toMatch(/not valid JSON|Invalid arguments/);
            expect(tools[1]?.content).toMatch(/city/);
          },
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { content: 'Sunny' },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [weatherTool(calls)] }).run(
      'Paris?',
    );
    expect(result.finishReason).toBe('stop');
    expect(calls).toEqual(['Paris']);
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['error', 'error']);
    expect(result.steps[0]?.toolCalls[0]?.rawArguments).toBe('{"city": }');
    emulator.assertDone();
  });

  it('truncated arguments are never repaired into a call', async () => {
    const calls: string[] = [];
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: '{"city": "Par' }] },
        { expect: (request) => expect(lastToolContent(request)).toMatch(/truncated/), content: 'Sorry' },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [weatherTool(calls)] }).run(
      'Paris?',
    );
    expect(calls).toEqual([]);
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('error');
    emulator.assertDone();
  });

  it('a throwing tool and a timed-out tool give error results and the run continues', async () => {
    let slowSignal: AbortSignal | undefined;
    const boom = tool({
      name: 'boom',
      description: 'Always fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const slow = tool({
      name: 'slow',
      description: 'Never finishes',
      parameters: z.object({}),
      timeoutMs: 20,
      execute: (_args, { signal }) => {
        slowSignal = signal;
        return new Promise(() => {});
      },
    });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'boom', arguments: {} },
            { name: 'slow', arguments: {} },
          ],
        },
        {
          expect: (request) => {
            const tools = (request.body.messages as Array<{ role: string; content: string }>).filter(
              (m) => m.role === 'tool',
            );
            expect(tools[0]?.content).toMatch(/disk on fire/);
            expect(tools[1]?.content).toMatch(/timed out/);
          },
          content: 'Both failed, sorry',
        },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [boom, slow] }).run('Try');
    expect(result.finishReason).toBe('stop');
    expect(result.steps[0]?.toolCalls.map((call) => call.status)).toEqual(['error', 'error']);
    expect(slowSignal?.aborted).toBe(true);
    emulator.assertDone();
  });

  // Loop logic only: a scripted model, no HTTP (the emulator tests above cover the wire).
  it("ends with 'tool_error' after maxConsecutiveToolErrors steps where every call failed", async () => {
    const unknownTool = { toolCalls: [{ name: 'nope', arguments: {} }] };
    const model = scriptedModel([unknownTool, unknownTool]);
    const agent = new Agent({
      model,
      tools: [weatherTool()],
      maxConsecutiveToolErrors: 2,
    });
    const result = await agent.run('Break');
    expect(result.finishReason).toBe('tool_error');
    expect(result.steps).toHaveLength(2);
    expect(result.messages.at(-1)?.role).toBe('tool');
    model.assertDone();
  });

  it('a step with one successful call resets the consecutive failure count', async () => {
    const model = scriptedModel([
      { toolCalls: [{ name: 'nope', arguments: {} }] },
      {
        toolCalls: [
          { name: 'nope', arguments: {} },
          { name: 'get_weather', arguments: { city: 'A' } },
        ],
      },
      { toolCalls: [{ name: 'nope', arguments: {} }] },
      { content: 'gave up' },
    ]);
    const agent = new Agent({ model, tools: [weatherTool()], maxConsecutiveToolErrors: 2 });
    const result = await agent.run('Mixed');
    expect(result.finishReason).toBe('stop');
    model.assertDone();
  });

  it('passes run data and the call id to tools and needsApproval', async () => {
    const seen: unknown[] = [];
    const probe = tool({
      name: 'probe',
      description: 'Reports its context',
      parameters: z.object({}),
      execute: (_args, context) => {
        seen.push({ data: context.data, callId: context.callId, aborted: context.signal.aborted });
        return 'ok';
      },
    });
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'probe', arguments: {}, id: 'call_x' }] }, { content: 'ok' }],
    });
    await new Agent({ client: clientFor(emulator), tools: [probe] }).run('go', { data: { user: 42 } });
    expect(seen).toEqual([{ data: { user: 42 }, callId: 'call_x', aborted: false }]);
  });
});
