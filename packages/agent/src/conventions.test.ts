import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, type AgentEvent, AgentRunError, MaxStepsExceededError, run } from './index.js';
import { clientFor, emulate, weatherTool } from './test-helpers.js';

const weatherTurns = [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  { content: 'It is 21 °C in Paris.' },
];

describe('OpenAI Agents SDK conventions', () => {
  it('run(agent, input) runs the agent like agent.run(input)', async () => {
    const emulator = await emulate({ script: weatherTurns });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const result = await run(agent, 'Weather in Paris?');
    expect(result.text).toBe('It is 21 °C in Paris.');
    expect(result.steps[0]!.toolCalls[0]!.result).toEqual({ city: 'Paris', celsius: 21 });
  });

  it('run(agent, input, { stream: true }) streams, like the Agents SDK', async () => {
    const emulator = await emulate({ script: weatherTurns });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const stream = run(agent, 'Weather in Paris?', { stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toContain('tool-result');
    expect(types.at(-1)).toBe('end');
    expect((await stream.result).text).toBe('It is 21 °C in Paris.');
  });

  it('throwOnMaxSteps rejects with MaxStepsExceededError that keeps the history; without it the run resolves', async () => {
    const loop = { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
    const emulator = await emulate({ script: () => loop });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()], maxSteps: 2 });
    const error = await agent.run('Weather?', { throwOnMaxSteps: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MaxStepsExceededError);
    expect(error).toBeInstanceOf(AgentRunError);
    expect((error as MaxStepsExceededError).result.finishReason).toBe('max_steps');
    expect((error as MaxStepsExceededError).result.steps).toHaveLength(2);
    await expect(
      run(agent, 'Weather?', { stream: true, throwOnMaxSteps: true }).result,
    ).rejects.toBeInstanceOf(MaxStepsExceededError);
    expect((await agent.run('Weather?')).finishReason).toBe('max_steps');
  });
});

describe('AI SDK conventions', () => {
  it('result.totalUsage is the run total under the AI SDK names, beside the wire-named usage', async () => {
    const emulator = await emulate({ script: weatherTurns });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const result = await agent.run('Weather in Paris?');
    const { usage, totalUsage } = result;
    expect(totalUsage.inputTokens).toBe(usage.prompt_tokens);
    expect(totalUsage.outputTokens).toBe(usage.completion_tokens);
    expect(totalUsage.totalTokens).toBe(usage.total_tokens);
    expect(totalUsage.cachedInputTokens).toBe(usage.prompt_cache_hit_tokens);
    expect(totalUsage.reasoningTokens).toBe(usage.completion_tokens_details?.reasoning_tokens ?? 0);
    expect(totalUsage.inputTokenDetails.noCacheTokens + totalUsage.inputTokenDetails.cacheReadTokens).toBe(
      usage.prompt_tokens,
    );
    const stepTotal = result.steps.reduce((sum, step) => sum + step.usage.total_tokens, 0);
    expect(totalUsage.totalTokens).toBe(stepTotal);
  });

  it("a failing tool adds a 'tool-error' event after its 'tool-result'; the run goes on", async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'explode', arguments: { n: 1 } }] }, { content: 'Sorry, that failed.' }],
    });
    const explode = tool({
      name: 'explode',
      description: 'Always fails',
      parameters: z.object({ n: z.number() }),
      execute: () => {
        throw new Error('boom');
      },
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [explode] });
    const events: AgentEvent[] = [];
    const stream = agent.stream('Try it');
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types.indexOf('tool-error')).toBe(types.indexOf('tool-result') + 1);
    const toolError = events.find((event) => event.type === 'tool-error');
    expect(toolError).toMatchObject({
      name: 'explode',
      args: { n: 1 },
      error: expect.stringContaining('boom'),
    });
    expect((await stream.result).text).toBe('Sorry, that failed.');
  });

  it("a failed run yields an 'error' event, then the iteration throws the same error", async () => {
    const emulator = await emulate({ faults: [{ status: 402, match: '/chat/completions' }] });
    const agent = new Agent({ client: clientFor(emulator) });
    const events: AgentEvent[] = [];
    const thrown = await (async () => {
      for await (const event of agent.stream('Hello')) events.push(event);
    })().catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(AgentRunError);
    expect(events.at(-1)).toEqual({ type: 'error', error: thrown });
  });
});

describe('onFinish and onError (AI SDK callbacks)', () => {
  it('onFinish gets the result once; a throwing callback does not change the outcome', async () => {
    const emulator = await emulate({ script: [{ content: 'Done.' }, { content: 'Again.' }] });
    const agent = new Agent({ client: clientFor(emulator) });
    const finished: string[] = [];
    const result = await agent.run('Hi', { onFinish: (done) => finished.push(done.text) });
    expect(finished).toEqual(['Done.']);
    expect(result.text).toBe('Done.');
    const streamed = agent.stream('Hi', {
      onFinish: (done) => {
        finished.push(done.text);
        throw new Error('callback bug');
      },
    });
    expect((await streamed.result).text).toBe('Again.');
    expect(finished).toEqual(['Done.', 'Again.']);
  });

  it('onError gets { error } when the run fails, and the run still rejects', async () => {
    const emulator = await emulate({ faults: [{ status: 402, match: '/chat/completions' }] });
    const agent = new Agent({ client: clientFor(emulator) });
    const errors: unknown[] = [];
    const finished: unknown[] = [];
    const thrown = await agent
      .run('Hi', { onError: ({ error }) => errors.push(error), onFinish: (result) => finished.push(result) })
      .catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(AgentRunError);
    expect(errors).toEqual([thrown]);
    expect(finished).toEqual([]);
  });
});
