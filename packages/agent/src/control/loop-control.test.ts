import type { ChatMessage } from '@plumb/core';
import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AgentConfigError,
  AgentRunError,
  ContextGuardError,
  hasToolCall,
  type StopState,
  stepCountIs,
} from '../index.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';

const WEATHER_THEN_ANSWER = [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
  { content: 'Sunny in both' },
];

function timeTool(calls: string[] = []) {
  return tool({
    name: 'get_time',
    description: 'Current time in a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      calls.push(city);
      return { city, time: '12:00' };
    },
  });
}

function toolNames(body: { tools?: Array<{ function: { name: string } }> }): string[] {
  return (body.tools ?? []).map((definition) => definition.function.name);
}

describe('stopWhen', () => {
  it('stepCountIs ends the run after that many steps with finishReason "stopped"', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      stopWhen: stepCountIs(1),
    });
    const result = await agent.run('Paris and Rome?');
    expect(result.finishReason).toBe('stopped');
    expect(result.steps).toHaveLength(1);
    expect(chatRequests(emulator)).toHaveLength(1);
    // The history is complete: the call is answered.
    expect(result.messages.at(-1)?.role).toBe('tool');
  });

  it('hasToolCall stops after the step that called the tool; a run option replaces the agent’s', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      stopWhen: stepCountIs(3),
    });
    const result = await agent.run('Paris?', { stopWhen: hasToolCall('get_weather') });
    expect(result.finishReason).toBe('stopped');
    expect(result.steps).toHaveLength(1);
  });

  it('an array of conditions stops when any holds; async custom predicates get the run state', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const seen: number[] = [];
    const custom = async (state: StopState) => {
      seen.push(state.steps.length);
      expect(state.lastStep).toBe(state.steps.at(-1));
      expect(state.data).toEqual({ user: 'u1' });
      return state.usage.prompt_tokens > 0 && state.steps.length === 2;
    };
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const result = await agent.run('Paris?', {
      stopWhen: [hasToolCall('nope'), custom],
      data: { user: 'u1' },
    });
    expect(result.finishReason).toBe('stopped');
    expect(seen).toEqual([1, 2]);
  });

  it('leaves existing endings alone: a final answer is "stop", maxSteps is "max_steps"', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      stopWhen: hasToolCall('nope'),
    });
    expect((await agent.run('Paris?')).finishReason).toBe('stop');
    const second = await emulate({ script: WEATHER_THEN_ANSWER });
    const limited = new Agent({
      client: clientFor(second),
      tools: [weatherTool()],
      maxSteps: 1,
      stopWhen: () => false,
    });
    expect((await limited.run('Paris?')).finishReason).toBe('max_steps');
  });

  it('refuses bad conditions, naming the field', () => {
    expect(() => new Agent({ stopWhen: 3 as never })).toThrow(/`stopWhen`.*stepCountIs/);
    expect(() => new Agent({ stopWhen: [stepCountIs(2), 'x'] as never })).toThrow(/`stopWhen\[1\]`/);
    expect(() => stepCountIs(0)).toThrow(AgentConfigError);
    expect(() => hasToolCall()).toThrow(/one or more tool names/);
  });
});

describe('activeTools (per run)', () => {
  it('sends only the named tools; a call to another one is answered as unknown', async () => {
    const times: string[] = [];
    const emulator = await emulate({
      script: [{ toolCalls: [{ name: 'get_time', arguments: { city: 'Paris' } }] }, { content: 'ok' }],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool(), timeTool(times)] });
    const result = await agent.run('Paris?', { activeTools: ['get_weather'] });
    expect(toolNames(chatRequests(emulator)[0]?.body ?? {})).toEqual(['get_weather']);
    expect(times).toEqual([]);
    expect(result.steps[0]?.toolCalls[0]?.status).toBe('error');
    expect(result.steps[0]?.toolCalls[0]?.content).toMatch(/Available tools: get_weather\./);
  });

  it('refuses an unknown name with the closest one', async () => {
    const agent = new Agent({ client: clientFor(await emulate()), tools: [weatherTool(), timeTool()] });
    const attempt = agent.run('x', { activeTools: ['get_wether'] });
    await expect(attempt).rejects.toThrow(AgentConfigError);
    await expect(agent.run('x', { activeTools: ['get_wether'] })).rejects.toThrow(
      /no tool "get_wether"\. Did you mean "get_weather"\? Its tools: get_weather, get_time/,
    );
    await expect(agent.run('x', { activeTools: 'get_weather' as never })).rejects.toThrow(/`activeTools`/);
  });
});

describe('prepareStep settings', () => {
  it('changes model, thinking, reasoning effort and tools for one step only', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool(), timeTool()],
      thinking: false,
      prepareStep: ({ stepIndex, activeTools, model }) => {
        expect(activeTools).toEqual(['get_weather', 'get_time']);
        expect(model).toBe('deepseek-flash');
        if (stepIndex === 1)
          return {
            model: 'deepseek-v4-pro',
            thinking: true,
            reasoningEffort: 'max',
            activeTools: ['get_weather'],
          };
        return undefined;
      },
    });
    const result = await agent.run('Paris?');
    const bodies = chatRequests(emulator).map((request) => request.body);
    expect(bodies.map((body) => body.model)).toEqual(['deepseek-flash', 'deepseek-v4-pro', 'deepseek-flash']);
    expect(bodies.map((body) => body.thinking?.type)).toEqual(['disabled', 'enabled', 'disabled']);
    expect(bodies[1]?.reasoning_effort).toBe('max');
    expect(bodies.map((body) => toolNames(body))).toEqual([
      ['get_weather', 'get_time'],
      ['get_weather'],
      ['get_weather', 'get_time'],
    ]);
    // Step 1 lost the cached prefix (other model and tools), and step 2 again (back to the agent's).
    expect(result.steps[0]?.cacheBreak).toBeUndefined();
    expect(result.steps[1]?.cacheBreak).toMatchObject({ changed: ['model', 'tools'], from: 0 });
    expect(result.steps[1]?.cacheBreak?.cacheMissTokens).toBeGreaterThan(0);
    expect(result.steps[2]?.cacheBreak?.changed).toEqual(['model', 'tools']);
  });

  it('new instructions become the system message from then on, reported as a cache break', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      instructions: 'You are a weather bot.',
      tools: [weatherTool()],
      prepareStep: ({ stepIndex }) => (stepIndex === 1 ? { instructions: 'Answer in French.' } : undefined),
    });
    const result = await agent.run('Paris?');
    const systems = chatRequests(emulator).map(
      (request) => (request.body.messages as ChatMessage[])[0]?.content,
    );
    expect(systems).toEqual(['You are a weather bot.', 'Answer in French.', 'Answer in French.']);
    expect(result.steps[1]?.cacheBreak).toMatchObject({ changed: ['instructions'], from: 0 });
    expect(result.steps[2]?.cacheBreak).toBeUndefined();
  });

  it('reports rewritten earlier messages from the first changed one; an equal copy is no break', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      prepareStep: ({ stepIndex, messages }) => {
        // Step 1: a deep copy of the same history. Step 2: the first call and its result dropped.
        if (stepIndex === 1) return JSON.parse(JSON.stringify(messages)) as ChatMessage[];
        if (stepIndex === 2) return [...messages.slice(0, 1), ...messages.slice(3)];
        return undefined;
      },
    });
    const result = await agent.run('Paris and Rome?');
    expect(result.steps[1]?.cacheBreak).toBeUndefined();
    const lost = result.steps[2]?.cacheBreak;
    expect(lost).toMatchObject({ changed: ['messages'], from: 1 });
    expect(lost?.cacheMissTokens).toBeGreaterThan(0);
    expect(lost?.cacheMissTokens).toBeLessThan(result.steps[1]?.usage.prompt_tokens ?? 0);
    expect(((chatRequests(emulator)[2]?.body.messages ?? []) as ChatMessage[]).map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
    ]);
  });

  it('a tool call left unanswered fails the run with a ContextGuardError naming the fix; nothing is sent', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      prepareStep: ({ stepIndex, messages }) =>
        stepIndex === 1 ? { messages: messages.slice(0, -1), activeTools: ['get_weather'] } : undefined,
    });
    const error = await agent.run('Paris?').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    const cause = (error as AgentRunError).cause;
    expect(cause).toBeInstanceOf(ContextGuardError);
    expect(String(cause)).toMatch(/no tool message/);
    expect(String(cause)).toMatch(/Keep each assistant message with tool_calls/);
    expect(chatRequests(emulator)).toHaveLength(1);
  });

  it('turning thinking on checks the replay rule: an assistant turn without reasoning_content is refused', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      thinking: false,
      prepareStep: ({ stepIndex, messages }) => {
        if (stepIndex !== 1) return undefined;
        const stripped = messages.map((message) => {
          if (message.role !== 'assistant') return message;
          const { reasoning_content: _dropped, ...rest } = message;
          return rest as ChatMessage;
        });
        return { messages: stripped, thinking: true };
      },
    });
    const error = await agent.run('Paris?').catch((caught: unknown) => caught);
    expect((error as AgentRunError).cause).toBeInstanceOf(ContextGuardError);
    expect(String((error as AgentRunError).cause)).toMatch(/without reasoning_content/);
    expect(chatRequests(emulator)).toHaveLength(1);
  });

  it('refuses unknown settings and bad values with did-you-mean', async () => {
    const causeOf = async (returned: unknown) => {
      const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
      const agent = new Agent({
        client: clientFor(emulator),
        tools: [weatherTool()],
        thinking: false,
        prepareStep: () => returned as never,
      });
      const error = await agent.run('Paris?').catch((caught: unknown) => caught);
      expect(chatRequests(emulator)).toHaveLength(0);
      return (error as AgentRunError).cause;
    };
    expect(String(await causeOf({ modle: 'deepseek-flash' }))).toMatch(/Did you mean `model`\?/);
    expect(String(await causeOf({ activeTools: ['get_wether'] }))).toMatch(/Did you mean "get_weather"\?/);
    expect(String(await causeOf({ reasoningEffort: 'hgh' }))).toMatch(/prepareStep\(\)\.reasoningEffort/);
    expect(String(await causeOf({ model: 'deepseek-chat' }))).toMatch(/prepareStep\(\)\.model.*retired/);
    expect(await causeOf(42)).toBeInstanceOf(AgentConfigError);
  });
});

describe('dynamic instructions', () => {
  it('a function of the run gives the system prompt before each step; a change is a cache break', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const calls: Array<{ runId: string; stepIndex: number; data: unknown }> = [];
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      instructions: async ({ runId, stepIndex, data, steps }) => {
        calls.push({ runId, stepIndex, data });
        expect(steps).toHaveLength(stepIndex);
        return stepIndex < 2 ? `You help ${(data as { user: string }).user}.` : 'Wrap up now.';
      },
    });
    const result = await agent.run('Paris?', { data: { user: 'Ada' }, runId: 'run_fixed' });
    expect(calls.map((call) => call.stepIndex)).toEqual([0, 1, 2]);
    expect(calls[0]).toEqual({ runId: 'run_fixed', stepIndex: 0, data: { user: 'Ada' } });
    const systems = chatRequests(emulator).map((request) => (request.body.messages as ChatMessage[])[0]);
    expect(systems.map((message) => message?.content)).toEqual([
      'You help Ada.',
      'You help Ada.',
      'Wrap up now.',
    ]);
    expect(result.steps[1]?.cacheBreak).toBeUndefined();
    expect(result.steps[2]?.cacheBreak).toMatchObject({ changed: ['instructions'], from: 0 });
    // Continuing the conversation keeps one system message (the function's new answer).
    const next = await emulate({ script: [{ content: 'again' }] });
    const again = new Agent({ client: clientFor(next), instructions: () => 'Second run.' });
    const continued = await again.run([...result.messages, { role: 'user', content: 'And now?' }]);
    const sent = chatRequests(next)[0]?.body.messages as ChatMessage[];
    expect(sent.filter((message) => message.role === 'system')).toEqual([
      { role: 'system', content: 'Second run.' },
    ]);
    expect(continued.finishReason).toBe('stop');
  });

  it('keeps the output schema paragraph after dynamic instructions', async () => {
    const emulator = await emulate({ script: [{ content: '{"city":"Paris"}' }] });
    const agent = new Agent({
      client: clientFor(emulator),
      thinking: false,
      instructions: () => 'Extract the city.',
      output: z.object({ city: z.string() }),
    });
    const result = await agent.run('I live in Paris');
    const system = (chatRequests(emulator)[0]?.body.messages as ChatMessage[] | undefined)?.[0]
      ?.content as string;
    expect(system.startsWith('Extract the city.\n\n')).toBe(true);
    expect(system.length).toBeGreaterThan('Extract the city.\n\n'.length);
    expect(result.output).toEqual({ city: 'Paris' });
  });

  it('refuses a non-function, non-string value and a function that returns a non-string', async () => {
    expect(() => new Agent({ instructions: 42 as never })).toThrow(
      /`instructions`.*a string .* or a function/,
    );
    const emulator = await emulate({ script: [{ content: 'x' }] });
    const agent = new Agent({ client: clientFor(emulator), instructions: (() => 7) as never });
    const error = await agent.run('hi').catch((caught: unknown) => caught);
    expect(String((error as AgentRunError).cause)).toMatch(
      /`instructions`: the function returned the number 7|number/,
    );
    expect(chatRequests(emulator)).toHaveLength(0);
  });
});

describe('onToolCall steering', () => {
  it('skip answers the call with a result without running the tool; reject answers it as rejected', async () => {
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'get_weather', arguments: { city: 'Paris' } },
            { name: 'get_weather', arguments: { city: 'Rome' } },
            { name: 'get_weather', arguments: { city: 'Oslo' } },
          ],
        },
        { content: 'done' },
      ],
    });
    const ran: string[] = [];
    const started: string[] = [];
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool(ran)],
      hooks: { onToolCallStart: ({ args }) => void started.push((args as { city: string }).city) },
      onToolCall: ({ args, name, runId }) => {
        expect(name).toBe('get_weather');
        expect(runId).toMatch(/^run_/);
        const city = (args as { city: string }).city;
        if (city === 'Paris') return { action: 'skip', result: { city, celsius: 30, cached: true } };
        if (city === 'Rome') return { action: 'reject', reason: 'Rome is out of scope' };
        return undefined;
      },
    });
    const result = await agent.run('Weather?');
    expect(ran).toEqual(['Oslo']);
    expect(started).toEqual(['Oslo']);
    const [paris, rome, oslo] = result.steps[0]?.toolCalls ?? [];
    expect(paris).toMatchObject({ status: 'ok', steered: 'skip', result: { cached: true } });
    expect(paris?.content).toBe('{"city":"Paris","celsius":30,"cached":true}');
    expect(rome).toMatchObject({ status: 'rejected', steered: 'reject' });
    expect(rome?.content).toMatch(/Rome is out of scope/);
    expect(oslo?.steered).toBeUndefined();
    const toolMessages = (
      (chatRequests(emulator)[1]?.body.messages as ChatMessage[] | undefined) ?? []
    ).filter((m) => m.role === 'tool');
    expect(toolMessages.map((message) => message.content)).toEqual([
      paris?.content,
      rome?.content,
      oslo?.content,
    ]);
  });

  it('a run option replaces the agent’s; an unknown decision fails the run naming the option', async () => {
    const emulator = await emulate({ script: WEATHER_THEN_ANSWER });
    const ran: string[] = [];
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool(ran)],
      onToolCall: () => ({ action: 'skip', result: 'from the agent' }),
    });
    const error = await agent
      .run('Paris?', { onToolCall: () => ({ action: 'replace' }) as never })
      .catch((caught: unknown) => caught);
    expect((error as AgentRunError).cause).toBeInstanceOf(AgentConfigError);
    expect(String((error as AgentRunError).cause)).toMatch(/`onToolCall`.*\{ action: 'skip', result \}/);
    expect(ran).toEqual([]);
    expect(() => new Agent({ onToolCall: 'x' as never })).toThrow(/`onToolCall`/);
  });
});

describe('agent-level callbacks', () => {
  it('onFinish and onError on the agent run before the run’s own', async () => {
    const order: string[] = [];
    const emulator = await emulate({ script: [{ content: 'hi' }] });
    const agent = new Agent({
      client: clientFor(emulator),
      onFinish: (result) => void order.push(`agent ${result.finishReason}`),
      onError: () => void order.push('agent error'),
    });
    await agent.run('hi', { onFinish: () => void order.push('run finish') });
    expect(order).toEqual(['agent stop', 'run finish']);
    const failing = await emulate({ script: [{ fault: { status: 402 } }] });
    const broken = new Agent({ client: clientFor(failing), onError: () => void order.push('agent error') });
    await expect(broken.run('hi', { onError: () => void order.push('run error') })).rejects.toThrow(
      AgentRunError,
    );
    expect(order.slice(2)).toEqual(['agent error', 'run error']);
  });

  it('refuses onStepFinish, naming hooks.onStepEnd, and a callback that is not a function', () => {
    expect(() => new Agent({ onStepFinish: (() => {}) as never })).toThrow(/hooks\.onStepEnd/);
    expect(() => new Agent({ onFinish: 'x' as never })).toThrow(/`onFinish`/);
  });
});
