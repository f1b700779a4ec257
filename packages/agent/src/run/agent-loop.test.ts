import type { ChatMessage } from '@plumb/core';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, AgentConfigError } from '../index.js';
import {
  chatRequests,
  clientFor,
  delay,
  emulate,
  rawMessages,
  rawTools,
  weatherTool,
} from '../test-helpers.js';

const LONG_INSTRUCTIONS = `You are a careful weather assistant. ${'Always check the tools before answering. '.repeat(20)}`;

describe('Agent.run: the tool loop', () => {
  it('runs tools, feeds results back and stops on the final answer (thinking on by default)', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { content: 'Sunny, 21C' },
      ],
    });
    const calls: string[] = [];
    const agent = new Agent({
      client: clientFor(emulator),
      instructions: 'Be brief.',
      tools: [weatherTool(calls)],
    });
    const result = await agent.run('Weather in Paris?');

    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('Sunny, 21C');
    expect(result.reasoning).not.toBe('');
    expect(calls).toEqual(['Paris']);
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool_calls', 'stop']);
    expect(result.steps[0]?.toolCalls).toMatchObject([
      { name: 'get_weather', args: { city: 'Paris' }, result: { city: 'Paris', celsius: 21 }, status: 'ok' },
    ]);
    expect(result.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    const [first, second] = chatRequests(emulator);
    expect(first?.body.thinking).toBeUndefined();
    expect(second?.body.messages[3]).toEqual({
      role: 'tool',
      tool_call_id: result.steps[0]?.toolCalls[0]?.id,
      content: '{"city":"Paris","celsius":21}',
    });
    expect(result.usage.total_tokens).toBe(
      (result.steps[0]?.usage.total_tokens ?? 0) + (result.steps[1]?.usage.total_tokens ?? 0),
    );
    expect(result.cost?.total).toBeCloseTo(
      (result.steps[0]?.cost?.total ?? 0) + (result.steps[1]?.cost?.total ?? 0),
      12,
    );
    emulator.assertDone();
  });

  it('keeps reasoning_content on every assistant message while tools are sent, "" when a turn had none', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
        { content: 'Done' },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const history: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! (from another model, no reasoning)' },
      { role: 'user', content: 'Weather in Oslo and Rome?' },
    ];
    const result = await agent.run(history);

    expect(result.finishReason).toBe('stop');
    for (const request of chatRequests(emulator)) {
      for (const message of request.body.messages) {
        if (message.role === 'assistant') expect(typeof message.reasoning_content).toBe('string');
      }
    }
    expect(result.messages[1]).toEqual({
      role: 'assistant',
      content: 'Hello! (from another model, no reasoning)',
      reasoning_content: '',
    });
    expect(history[1]).not.toHaveProperty('reasoning_content');
    emulator.assertDone();
  });

  it('sends thinking disabled and reasoning_effort when configured, and non-thinking turns replay ""', async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Lima' } }] }, { content: 'Warm' }],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      thinking: false,
      reasoningEffort: 'low',
    });
    const result = await agent.run('Weather in Lima?');

    expect(result.finishReason).toBe('stop');
    const [first, second] = chatRequests(emulator);
    expect(first?.body.thinking).toEqual({ type: 'disabled' });
    expect(first?.body.reasoning_effort).toBe('low');
    expect(result.steps[0]?.reasoning).toBe('');
    expect(second?.body.messages[1]).toMatchObject({ role: 'assistant', reasoning_content: '' });
  });

  it.each([1, 3])(
    'answers 3 parallel calls in call order with toolConcurrency %i',
    async (toolConcurrency) => {
      const emulator = await emulate({
        script: [
          {
            toolCalls: [
              { name: 'slow', arguments: { ms: 30, label: 'a' } },
              { name: 'slow', arguments: { ms: 1, label: 'b' } },
              { name: 'slow', arguments: { ms: 10, label: 'c' } },
            ],
          },
          { content: 'all done' },
        ],
      });
      let running = 0;
      let peak = 0;
      const finished: string[] = [];
      const slow = tool({
        name: 'slow',
        description: 'Waits, then echoes its label',
        parameters: z.object({ ms: z.number(), label: z.string() }),
        execute: async ({ ms, label }) => {
          running++;
          peak = Math.max(peak, running);
          await delay(ms);
          running--;
          finished.push(label);
          return `label ${label}`;
        },
      });
      const agent = new Agent({ client: clientFor(emulator), tools: [slow], toolConcurrency });
      const result = await agent.run('Go');

      expect(result.finishReason).toBe('stop');
      expect(peak).toBe(toolConcurrency);
      if (toolConcurrency === 3) expect(finished).toEqual(['b', 'c', 'a']);
      const calls = result.messages[1];
      const ids = calls?.role === 'assistant' ? (calls.tool_calls ?? []).map((call) => call.id) : [];
      const toolMessages = result.messages.slice(2, 5);
      expect(toolMessages.map((message) => (message.role === 'tool' ? message.tool_call_id : ''))).toEqual(
        ids,
      );
      expect(toolMessages.map((message) => message.content)).toEqual(['label a', 'label b', 'label c']);
      emulator.assertDone();
    },
  );

  it('keeps the request prefix byte-stable: each request extends the previous messages and tools are identical', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        {
          toolCalls: [
            { name: 'get_weather', arguments: { city: 'Berlin' } },
            { name: 'get_weather', arguments: { city: 'Madrid' } },
          ],
        },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Tokyo' } }] },
        { content: 'Four cities checked.' },
      ],
    });
    const extra = tool({
      name: 'noop',
      description: 'Does nothing',
      parameters: z.object({}),
      execute: () => 'ok',
    });
    const agent = new Agent({
      client: clientFor(emulator),
      instructions: LONG_INSTRUCTIONS,
      tools: [weatherTool(), extra],
    });
    const result = await agent.run('Compare the weather in four cities.');

    expect(result.finishReason).toBe('stop');
    const requests = chatRequests(emulator);
    expect(requests).toHaveLength(4);
    for (let i = 1; i < requests.length; i++) {
      const previous = rawMessages(requests[i - 1]!);
      const current = rawMessages(requests[i]!);
      expect(current.startsWith(previous.slice(0, -1))).toBe(true);
      expect(current.length).toBeGreaterThan(previous.length);
      expect(rawTools(requests[i]!)).toBe(rawTools(requests[0]!));
    }
    expect(
      requests[0]?.body.tools.map((entry: { function: { name: string } }) => entry.function.name),
    ).toEqual(['get_weather', 'noop']);
    const hits = result.steps.map((step) => step.usage.prompt_cache_hit_tokens ?? 0);
    for (let i = 1; i < hits.length; i++) expect(hits[i]).toBeGreaterThanOrEqual(hits[i - 1]!);
    expect(hits[hits.length - 1]).toBeGreaterThan(hits[0]!);
    expect(result.cacheHitRatio).toBeGreaterThan(0);
    expect(result.steps[3]?.cacheHitRatio).toBeGreaterThan(0);
    expect(result.usage.prompt_cache_hit_tokens).toBe(hits.reduce((sum, hit) => sum + hit, 0));
  });

  it('continues a conversation from result.messages (multi-turn) and the emulator accepts it', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { content: 'Paris: 21C' },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Nice' } }] },
        { content: 'Nice: 21C too' },
      ],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      instructions: LONG_INSTRUCTIONS,
      tools: [weatherTool()],
    });
    const first = await agent.run('Paris?');
    const second = await agent.run([...first.messages, { role: 'user', content: 'And Nice?' }]);

    expect(second.finishReason).toBe('stop');
    expect(second.text).toBe('Nice: 21C too');
    expect(second.messages.filter((message) => message.role === 'system')).toHaveLength(1);
    expect(second.messages.slice(0, first.messages.length)).toEqual(first.messages);
    const requests = chatRequests(emulator);
    const firstRunLast = rawMessages(requests[1]!);
    expect(rawMessages(requests[2]!).startsWith(firstRunLast.slice(0, -1))).toBe(true);
    expect(requests.every((request) => request.status === 200)).toBe(true);
    expect(second.steps[0]?.usage.prompt_cache_hit_tokens).toBeGreaterThan(0);
    emulator.assertDone();
  });

  it("ends with 'max_steps' after maxSteps turns, with every tool call answered", async () => {
    const emulator = await emulate({
      script: () => ({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Loop' } }] }),
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()], maxSteps: 3 });
    const result = await agent.run('Loop forever');

    expect(result.finishReason).toBe('max_steps');
    expect(result.steps).toHaveLength(3);
    expect(chatRequests(emulator)).toHaveLength(3);
    expect(result.messages.at(-1)?.role).toBe('tool');
    expect(result.output).toBeUndefined();
  });

  it("ends with 'budget' once the run's cost reaches budget.maxCost (history still valid)", async () => {
    const emulator = await emulate({
      script: () => ({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Costly' } }] }),
    });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      budget: { maxCost: 0.00004 },
    });
    const result = await agent.run('Spend');

    expect(result.finishReason).toBe('budget');
    expect(result.cost?.total).toBeGreaterThanOrEqual(0.00004);
    const before = result.steps.slice(0, -1).reduce((sum, step) => sum + (step.cost?.total ?? 0), 0);
    expect(before).toBeLessThan(0.00004);
    expect(result.messages.at(-1)?.role).toBe('tool');
    expect(chatRequests(emulator)).toHaveLength(result.steps.length);
  });

  it('takes a per-run budget (run option) in its own currency', async () => {
    const emulator = await emulate({
      script: () => ({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Costly' } }] }),
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()], maxSteps: 50 });
    const result = await agent.run('Spend', { budget: { maxCost: 0.0003, currency: 'CNY' } });

    expect(result.finishReason).toBe('budget');
    expect(result.cost?.currency).toBe('CNY');
    expect(result.cost?.total).toBeGreaterThanOrEqual(0.0003);
    expect(result.steps.length).toBeLessThan(50);
  });

  it('reports costs in CNY when asked', async () => {
    const emulator = await emulate({ script: [{ content: 'ok' }] });
    const result = await new Agent({ client: clientFor(emulator), currency: 'CNY' }).run('Hi');
    expect(result.cost?.currency).toBe('CNY');
    expect(result.cost?.total).toBeGreaterThan(0);
  });

  it('runs without tools and sends no tools field', async () => {
    const emulator = await emulate({ script: [{ content: 'Plain answer' }] });
    const result = await new Agent({ client: clientFor(emulator) }).run('Hello');
    expect(result.text).toBe('Plain answer');
    expect(chatRequests(emulator)[0]?.body).not.toHaveProperty('tools');
    expect(result.messages).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Plain answer', reasoning_content: result.reasoning },
    ]);
  });
});

describe('Agent options', () => {
  it('rejects a forced tool choice in thinking mode with a clear AgentConfigError', () => {
    expect(() => new Agent({ tools: [weatherTool()], toolChoice: 'required' })).toThrow(AgentConfigError);
    expect(() => new Agent({ tools: [weatherTool()], toolChoice: 'required' })).toThrow(/thinking: false/);
  });

  it('sends a forced tool choice on the first step only when thinking is off', async () => {
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Bern' } }] }, { content: 'Cold' }],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      thinking: false,
      toolChoice: { type: 'function', function: { name: 'get_weather' } },
    });
    const result = await agent.run('Bern?');
    expect(result.finishReason).toBe('stop');
    const [first, second] = chatRequests(emulator);
    expect(first?.body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(second?.body).not.toHaveProperty('tool_choice');
  });

  it.each([
    [{ maxSteps: 0 }, 'maxSteps'],
    [{ toolConcurrency: 1.5 }, 'toolConcurrency'],
    [{ thinking: 'yes' as unknown as boolean }, 'thinking'],
    [{ model: 'unknown-model', budget: { maxCost: 1 } }, 'budget'],
    [{ maxConsecutiveToolErrors: -1 }, 'maxConsecutiveToolErrors'],
    [{ thinking: true, reasoningEffort: 'none' as const }, 'reasoningEffort'],
    [{ requestOptions: 5 as unknown as object }, 'requestOptions'],
    [{ logger: {} as unknown as undefined }, 'logger'],
  ])('names the invalid option %j', (options, option) => {
    let error: unknown;
    try {
      new Agent(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AgentConfigError);
    expect((error as AgentConfigError).option).toBe(option);
  });

  it("reads the run's request headers once, when the run starts: a change during the run is not sent", async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { content: 'Sunny, 21C' },
      ],
    });
    const headers: Record<string, string> = { 'X-Trace': 'run-1' };
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [
        tool({
          name: 'get_weather',
          description: 'Weather',
          parameters: z.object({ city: z.string() }),
          execute: () => {
            headers['X-Trace'] = 'changed';
            return 'sunny';
          },
        }),
      ],
    });
    const result = await agent.run('Weather in Paris?', { requestOptions: { headers } });
    expect(result.finishReason).toBe('stop');
    expect(chatRequests(emulator).map((request) => request.headers['x-trace'])).toEqual(['run-1', 'run-1']);
    expect(Object.isFrozen(headers)).toBe(false);
    // The next run reads them again.
    await agent.run('Again?', { requestOptions: { headers } }).catch(() => {});
    expect(chatRequests(emulator)[2]?.headers['x-trace']).toBe('changed');
  });

  it('names an invalid run option (signal, requestOptions) before sending anything', async () => {
    const emulator = await emulate();
    const agent = new Agent({ client: clientFor(emulator) });
    const signal = { aborted: false } as unknown as AbortSignal;
    await expect(agent.run('Hi', { signal })).rejects.toMatchObject({ option: 'signal' });
    expect(() => agent.stream('Hi', { requestOptions: 'fast' as unknown as object })).toThrow(
      /requestOptions/,
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('wraps tool set problems (duplicate names) in an AgentConfigError', () => {
    expect(() => new Agent({ tools: [weatherTool(), weatherTool()] })).toThrow(
      /Two tools are named "get_weather"/,
    );
  });

  it('rejects an invalid history before sending anything', async () => {
    const emulator = await emulate();
    const agent = new Agent({ client: clientFor(emulator) });
    await expect(agent.run([{ role: 'developer', content: 'x' } as unknown as ChatMessage])).rejects.toThrow(
      /use 'system'/,
    );
    await expect(agent.run([])).rejects.toThrow(AgentConfigError);
    expect(emulator.requests).toHaveLength(0);
  });
});
