import { type Span, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { DeepSeek } from '@plumb/core';
import { tool } from '@plumb/tools';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Agent, AgentConfigError, AgentRunError, RunState } from '../index.js';
import { clientFor, delegationScript, emulate, weatherTool } from '../test-helpers.js';

let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
});

afterEach(async () => {
  trace.disable();
  await provider.shutdown();
});

const telemetry = (more: object = {}) => ({ tracer: provider.getTracer('test'), metrics: false, ...more });

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((span) => span.name === name);
function one(name: string): ReadableSpan {
  const found = named(name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}
const isChildOf = (child: ReadableSpan, parent: ReadableSpan) =>
  child.parentSpanContext?.spanId === parent.spanContext().spanId &&
  child.spanContext().traceId === parent.spanContext().traceId;
const dump = (list: ReadableSpan[]) =>
  JSON.stringify(
    list.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
    })),
  );

/** Tool call, then an answer. */
const weatherScript = [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  { content: 'It is 21C in Paris.' },
];

describe('agent telemetry', () => {
  it('makes an invoke_agent span with chat and execute_tool spans under it', async () => {
    const emulator = await emulate({ script: weatherScript });
    const agent = new Agent({
      client: clientFor(emulator),
      name: 'weather',
      tools: [weatherTool()],
      telemetry: telemetry(),
    });
    const result = await agent.run('Weather in Paris?');
    const run = one('invoke_agent weather');
    expect(run.parentSpanContext).toBeUndefined();
    expect(run.kind).toBe(0); // INTERNAL
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'deepseek',
      'gen_ai.agent.name': 'weather',
      'gen_ai.request.model': 'deepseek-flash',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': result.usage.prompt_tokens,
      'gen_ai.usage.output_tokens': result.usage.completion_tokens,
      'plumb.agent.finish_reason': 'stop',
      'plumb.agent.steps': 2,
      'plumb.agent.tool_calls': 1,
      'plumb.agent.resumed': false,
      'plumb.cost.usd': result.cost?.total,
    });
    const chats = named('chat deepseek-flash');
    expect(chats).toHaveLength(2);
    for (const [index, chat] of chats.entries()) {
      expect(isChildOf(chat, run)).toBe(true);
      expect(chat.attributes['plumb.agent.step']).toBe(index);
      expect(chat.attributes['gen_ai.agent.name']).toBe('weather');
      expect(chat.attributes['plumb.request.id']).toBe(result.steps[index]?.requestId);
    }
    expect(chats[0]!.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    const call = one('execute_tool get_weather');
    expect(isChildOf(call, run)).toBe(true);
    const record = result.steps[0]!.toolCalls[0]!;
    expect(call.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': record.id,
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': 'Current weather for a city',
      'plumb.tool.status': 'ok',
    });
    expect(call.status.code).toBe(0);
    // Off by default: no content, no key.
    const text = dump(spans());
    expect(text).not.toContain('Paris');
    expect(text).not.toContain('sk-test');
  });

  it('gives step records their request id and timings, and tool records their start and end', async () => {
    const emulator = await emulate({ script: weatherScript });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const result = await agent.run('Weather in Paris?');
    for (const step of result.steps) {
      expect(step.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(step.latencyMs).toBeGreaterThan(0);
      expect(step.retries).toBe(0);
      expect(step.queueMs).toBe(0);
      expect(step.slotWaitMs).toBe(0);
      expect(step.firstChunkMs).toBeGreaterThan(0);
      expect(Date.parse(step.startedAt!)).not.toBeNaN();
    }
    const record = result.steps[0]!.toolCalls[0]!;
    expect(Date.parse(record.startedAt!)).toBeLessThanOrEqual(Date.parse(record.endedAt!));
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('counts a retried model call on its step record and its chat span', async () => {
    const emulator = await emulate({
      script: weatherScript,
      faults: [{ status: 429, headers: { 'retry-after-ms': '0' }, times: 1 }],
    });
    const agent = new Agent({
      client: clientFor(emulator, 1),
      tools: [weatherTool()],
      telemetry: telemetry(),
    });
    const result = await agent.run('Weather in Paris?');
    expect(result.steps[0]!.retries).toBe(1);
    expect(result.steps[1]!.retries).toBe(0);
    const first = named('chat deepseek-flash').find((span) => span.attributes['plumb.agent.step'] === 0)!;
    expect(first.attributes['plumb.request.retries']).toBe(1);
    expect(first.events.find((event) => event.name === 'plumb.retry')?.attributes).toMatchObject({
      'error.type': '429',
    });
  });

  it("nests a sub-agent under the tool call that started it, with the parent run's telemetry", async () => {
    const emulator = await emulate({
      script: delegationScript(['Weather in Paris?', 'Weather in Rome?']),
    });
    const client = clientFor(emulator);
    const researcher = new Agent({
      client,
      name: 'researcher',
      instructions: 'Researcher: look things up.',
      tools: [weatherTool()],
      // No telemetry option: a sub-agent uses its parent run's.
    });
    const manager = new Agent({
      client,
      name: 'manager',
      instructions: 'Manager: delegate.',
      tools: [researcher.asTool({ description: 'Looks up facts' })],
      telemetry: telemetry(),
    });
    await manager.run('How warm is Paris and Rome?');
    const root = one('invoke_agent manager');
    const delegations = named('execute_tool researcher');
    const subRuns = named('invoke_agent researcher');
    expect(delegations).toHaveLength(2);
    expect(subRuns).toHaveLength(2);
    // Each sub-run nests under its own tool call (the calls ran concurrently).
    for (const delegation of delegations) {
      expect(isChildOf(delegation, root)).toBe(true);
      const children = subRuns.filter((sub) => isChildOf(sub, delegation));
      expect(children).toHaveLength(1);
      const sub = children[0]!;
      const subChats = named('chat deepseek-flash').filter((chat) => isChildOf(chat, sub));
      expect(subChats).toHaveLength(2);
      const subTools = named('execute_tool get_weather').filter((call) => isChildOf(call, sub));
      expect(subTools).toHaveLength(1);
    }
    expect(new Set(spans().map((span) => span.spanContext().traceId)).size).toBe(1);
  });

  it('marks failures: a failed request, a throwing tool, an unknown tool', async () => {
    const failing = tool({
      name: 'explode',
      description: 'Always fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('boom');
      },
    });
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'explode', arguments: {} },
            { name: 'nonexistent', arguments: {} },
          ],
        },
        { fault: { status: 402 } },
      ],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      name: 'fragile',
      tools: [failing],
      telemetry: telemetry(),
    });
    const error = await agent.run('Go').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentRunError);
    const run = one('invoke_agent fragile');
    expect(run.status.code).toBe(2);
    expect(run.attributes['error.type']).toBe('AgentRunError');
    const chats = named('chat deepseek-flash');
    expect(chats[1]!.status.code).toBe(2);
    expect(chats[1]!.attributes['error.type']).toBe('402');
    const exploded = one('execute_tool explode');
    expect(exploded.status.code).toBe(2);
    expect(exploded.attributes).toMatchObject({ 'error.type': 'tool_error', 'plumb.tool.status': 'error' });
    // The tool's error text is content: not recorded unless recordContent is on.
    expect(dump(spans())).not.toContain('boom');
    const unknown = one('execute_tool nonexistent');
    expect(unknown.attributes).toMatchObject({ 'error.type': 'unknown_tool', 'plumb.tool.status': 'error' });
    expect(isChildOf(unknown, run)).toBe(true);
  });

  it('records content only when asked, with the API key and configured secrets masked', async () => {
    const emulator = await emulate({ script: weatherScript });
    const secretTool = tool({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, celsius: 21, token: 'tok-very-secret', key: 'sk-test' }),
    });
    const agent = new Agent({
      client: clientFor(emulator),
      name: 'weather',
      instructions: 'You are a weather bot.',
      tools: [secretTool],
      telemetry: telemetry({ recordContent: true, secrets: ['tok-very-secret'] }),
    });
    await agent.run('Weather in Paris? My key is sk-test, the old one sk-live0123456789abcdef');
    const run = one('invoke_agent weather');
    expect(JSON.parse(run.attributes['gen_ai.input.messages'] as string)[0].parts[0].content).toContain(
      'Weather in Paris? My key is ****',
    );
    expect(JSON.parse(run.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'You are a weather bot.' },
    ]);
    expect(run.attributes['gen_ai.output.messages']).toContain('It is 21C in Paris.');
    const call = one('execute_tool get_weather');
    expect(JSON.parse(call.attributes['gen_ai.tool.call.arguments'] as string)).toEqual({ city: 'Paris' });
    expect(call.attributes['gen_ai.tool.call.result']).toContain('celsius');
    const text = dump(spans());
    expect(text).not.toContain('tok-very-secret');
    expect(text).not.toContain('sk-test');
    expect(text).not.toContain('sk-live0123456789abcdef');
  });

  it('links a resumed run to the paused one, across a JSON round trip (another process)', async () => {
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
    const first = new Agent({
      client: clientFor(emulator),
      name: 'janitor',
      tools: [deleteFile],
      telemetry: telemetry(),
    });
    const paused = await first.run('Delete a.txt');
    expect(paused.finishReason).toBe('interrupted');
    const json = JSON.stringify(paused.state);
    const pausedSpan = one('invoke_agent janitor');
    expect(
      pausedSpan.events.find((event) => event.name === 'plumb.approval.requested')?.attributes,
    ).toMatchObject({
      'gen_ai.tool.name': 'delete_file',
    });
    exporter.reset();

    // "Another process": a new agent, a new tracer provider, the state from its JSON text.
    const otherExporter = new InMemorySpanExporter();
    const otherProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(otherExporter)],
    });
    const second = new Agent({
      client: clientFor(emulator),
      name: 'janitor',
      tools: [deleteFile],
      telemetry: { tracer: otherProvider.getTracer('other'), metrics: false },
    });
    const state = RunState.fromJSON(json);
    for (const call of state.interruptions) state.approve(call.id);
    const resumed = await second.run(state);
    expect(resumed.finishReason).toBe('stop');
    const resumedSpan = otherExporter
      .getFinishedSpans()
      .find((span) => span.name === 'invoke_agent janitor')!;
    expect(resumedSpan.attributes['plumb.agent.resumed']).toBe(true);
    expect(resumedSpan.links).toHaveLength(1);
    expect(resumedSpan.links[0]!.context.traceId).toBe(pausedSpan.spanContext().traceId);
    expect(resumedSpan.links[0]!.context.spanId).toBe(pausedSpan.spanContext().spanId);
    expect(
      resumedSpan.events.find((event) => event.name === 'plumb.approval.decided')?.attributes,
    ).toMatchObject({
      'gen_ai.tool.name': 'delete_file',
      'plumb.approval.approved': true,
    });
    await otherProvider.shutdown();
  });

  it('traces streamed runs, and runs of an agent whose client has telemetry on', async () => {
    trace.setGlobalTracerProvider(provider);
    const emulator = await emulate({ script: [...weatherScript, ...weatherScript] });
    const client = new DeepSeek({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0, telemetry: true });
    const agent = new Agent({ client, name: 'inherits', tools: [weatherTool()] });
    const stream = agent.stream('Weather?');
    for await (const _ of stream) {
      // drain
    }
    await stream.result;
    await agent.run('Weather again?');
    expect(named('invoke_agent inherits')).toHaveLength(2);
    expect(named('chat deepseek-flash')).toHaveLength(4);
    // Per run it can be turned off.
    exporter.reset();
    const quiet = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    emulator.setScript?.(weatherScript);
    await quiet.run('Weather?', { telemetry: false });
    expect(spans()).toHaveLength(0);
  });

  it('builds no attributes for sampled-out spans (run, requests, tool calls)', async () => {
    const emulator = await emulate({ script: weatherScript });
    const sampledOut = new BasicTracerProvider({
      sampler: new AlwaysOffSampler(),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const inner = sampledOut.getTracer('test');
    const started: Span[] = [];
    const tracer = {
      startSpan: (...args: Parameters<typeof inner.startSpan>) => {
        const span = inner.startSpan(...args);
        vi.spyOn(span, 'setAttributes');
        vi.spyOn(span, 'end');
        started.push(span);
        return span;
      },
    };
    const agent = new Agent({
      client: clientFor(emulator),
      name: 'weather',
      tools: [weatherTool()],
      telemetry: { tracer, metrics: false },
    });
    const result = await agent.run('Weather in Paris?');
    expect(result.text).toBe('It is 21C in Paris.');
    // The run, two requests and one tool call: each started and ended, none given attributes.
    expect(started).toHaveLength(4);
    for (const span of started) {
      expect(span.isRecording()).toBe(false);
      expect(span.setAttributes).not.toHaveBeenCalled();
      expect(span.end).toHaveBeenCalledTimes(1);
    }
    expect(spans()).toHaveLength(0);
    await sampledOut.shutdown();
  });

  it('rejects a malformed telemetry option with an AgentConfigError naming it', () => {
    expect(
      () => new Agent({ client: new DeepSeek({ apiKey: 'sk-fake-x' }), telemetry: 'on' as never }),
    ).toThrow(AgentConfigError);
    expect(
      () =>
        new Agent({
          client: new DeepSeek({ apiKey: 'sk-fake-x' }),
          telemetry: { recordContent: 'yes' as never },
        }),
    ).toThrow(/telemetry\.recordContent/);
  });
});
