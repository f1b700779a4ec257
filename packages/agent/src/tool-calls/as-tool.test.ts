import { addUsage } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../index.js';
import { chatRequests, clientFor, delegationScript, emulate, weatherTool } from '../test-helpers.js';

describe('agent.asTool', () => {
  it('lets a parent delegate to a sub-agent; usage and cost roll into the parent', async () => {
    const emulator = await emulate({
      script: delegationScript(),
    });
    const client = clientFor(emulator);
    const researcher = new Agent({
      client,
      name: 'researcher',
      instructions: 'Researcher: look things up.',
      tools: [weatherTool()],
    });
    const parent = new Agent({
      client,
      instructions: 'Manager: delegate.',
      tools: [researcher.asTool({ description: 'Looks up facts' })],
    });
    const result = await parent.run('How warm is Paris?');

    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('The researcher says: 21C');
    const call = result.steps[0]?.toolCalls[0];
    expect(call).toMatchObject({
      name: 'researcher',
      status: 'ok',
      result: 'Paris is at 21C',
      content: 'Paris is at 21C',
    });
    expect(call?.usage?.total_tokens).toBeGreaterThan(0);
    const own = result.steps.reduce((sum, step) => addUsage(sum, step.usage), addUsage(undefined, undefined));
    expect(result.usage.total_tokens).toBe(own.total_tokens + (call?.usage?.total_tokens ?? 0));
    const ownCost = result.steps.reduce((sum, step) => sum + (step.cost?.total ?? 0), 0);
    expect(result.cost?.total).toBeCloseTo(ownCost + (call?.cost?.total ?? 0), 12);
    expect(chatRequests(emulator)).toHaveLength(4);
    expect(chatRequests(emulator)[0]?.body.tools[0].function.parameters.properties).toHaveProperty('input');
  });

  it('accepts custom parameters mapped to the sub-run input, and returns structured output', async () => {
    const emulator = await emulate({
      script: (request) => {
        const system = request.body.messages[0]?.content ?? '';
        if (system.startsWith('Extractor')) {
          expect(request.body.messages.at(-1).content).toBe('Extract the city from: I live in Rome');
          return { content: '{"city":"Rome"}' };
        }
        return request.body.messages.at(-1).role === 'tool'
          ? { content: 'Rome' }
          : { toolCalls: [{ name: 'extract', arguments: { text: 'I live in Rome' } }] };
      },
    });
    const client = clientFor(emulator);
    const extractor = new Agent({
      client,
      instructions: 'Extractor.',
      output: z.object({ city: z.string() }),
    });
    const parent = new Agent({
      client,
      tools: [
        extractor.asTool({
          name: 'extract',
          description: 'Extracts a city',
          parameters: z.object({ text: z.string() }),
          input: ({ text }) => `Extract the city from: ${text}`,
        }),
      ],
    });
    const result = await parent.run('Where do I live? I live in Rome');
    expect(result.steps[0]?.toolCalls[0]?.result).toEqual({ city: 'Rome' });
    expect(result.steps[0]?.toolCalls[0]?.content).toBe('{"city":"Rome"}');
  });

  it("prices a sub-agent in the parent's currency, so totals and budgets never mix USD and CNY", async () => {
    const emulator = await emulate({
      script: (request) => {
        if (request.body.messages[0]?.content === 'Sub.') return { content: 'sub answer' };
        return request.body.messages.at(-1).role === 'tool'
          ? { content: 'done' }
          : { toolCalls: [{ name: 'sub', arguments: { input: 'go' } }] };
      },
    });
    const client = clientFor(emulator);
    const sub = new Agent({ client, name: 'sub', instructions: 'Sub.' });
    const parent = new Agent({ client, currency: 'CNY', tools: [sub.asTool({ description: 'Sub agent' })] });
    const result = await parent.run('Delegate');

    const call = result.steps[0]?.toolCalls[0];
    expect(call?.cost?.currency).toBe('CNY');
    expect(call?.cost?.total).toBeGreaterThan(0);
    expect(result.cost?.currency).toBe('CNY');
    const own = result.steps.reduce((sum, step) => sum + (step.cost?.total ?? 0), 0);
    expect(result.cost?.total).toBeCloseTo(own + (call?.cost?.total ?? 0), 12);
  });

  it("passes the parent's abort signal to the sub-run", async () => {
    const controller = new AbortController();
    const emulator = await emulate({
      script: (request) => {
        const system = request.body.messages[0]?.content ?? '';
        if (system.startsWith('Sub')) {
          controller.abort();
          return { content: 'never arrives', fault: { hang: true } };
        }
        return { toolCalls: [{ name: 'sub', arguments: { input: 'go' } }] };
      },
    });
    const client = clientFor(emulator);
    const sub = new Agent({ client, name: 'sub', instructions: 'Sub.' });
    const parent = new Agent({ client, tools: [sub.asTool({ description: 'Sub agent' })] });
    const result = await parent.run('Delegate', { signal: controller.signal });
    expect(result.finishReason).toBe('aborted');
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('cancelled');
    expect(chatRequests(emulator)).toHaveLength(2);
  });
});
