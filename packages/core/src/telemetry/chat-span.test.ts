import { context, type Span, trace } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, DeepSeek } from '../index.js';
import { clientFor, emulate, failureOf, hello, noWait } from '../test-helpers.js';
import { dump, exporter, meterProvider, metricPoints, only, provider, telemetry } from './otel-test-setup.js';

describe('chat spans', () => {
  it('traces create() with the GenAI attributes and DeepSeek details', async () => {
    const emulator = await emulate({
      script: [
        {
          content: 'Hi there',
          usage: { prompt_cache_hit_tokens: 4, prompt_cache_miss_tokens: 6, prompt_tokens: 10 },
        },
      ],
    });
    const client = clientFor({ telemetry: telemetry() });
    const completion = await client.chat.completions.create(hello);
    const span = only('chat deepseek-flash');
    expect(span.kind).toBe(2); // CLIENT
    const a = span.attributes;
    expect(a).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'deepseek',
      'gen_ai.request.model': 'deepseek-flash',
      'gen_ai.request.stream': false,
      'gen_ai.output.type': 'text',
      'gen_ai.response.model': completion.model,
      'gen_ai.response.id': completion.id,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': completion.usage?.completion_tokens,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.reasoning.output_tokens':
        completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0,
      'plumb.usage.cache_miss.input_tokens': 6,
      'plumb.cache.hit_ratio': 0.4,
      'plumb.request.attempts': 1,
      'plumb.request.retries': 0,
      'plumb.request.queue_ms': 0,
      'plumb.request.slot_wait_ms': 0,
      'plumb.request.messages': 1,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(emulator.url).port),
    });
    expect(a['plumb.request.id']).toMatch(/^[0-9a-f]{32}$/);
    expect(a['plumb.cost.usd']).toBeGreaterThan(0);
    expect(a['plumb.cost.cny']).toBeGreaterThan(0);
    expect(['peak', 'off_peak']).toContain(a['plumb.cost.price_period']);
    expect(a['plumb.cost.priced_as']).toBe('deepseek-flash');
    // Content is off by default: no messages, no answer, no key.
    expect(a['gen_ai.input.messages']).toBeUndefined();
    expect(a['gen_ai.output.messages']).toBeUndefined();
    expect(dump(span)).not.toContain('Hello');
    expect(dump(span)).not.toContain('Hi there');
    expect(dump(span)).not.toContain(emulator.apiKey);
  });

  it('traces a stream, with time to first chunk apart from keep-alive queue time', async () => {
    await emulate({
      script: [{ content: 'Streamed answer', fault: { keepAlive: { ms: 60, intervalMs: 20 } } }],
    });
    const client = clientFor({ telemetry: telemetry() });
    const stream = client.chat.completions.stream(hello);
    for await (const _ of stream) {
      // drain
    }
    const span = only('chat deepseek-flash');
    const a = span.attributes;
    expect(a['gen_ai.request.stream']).toBe(true);
    expect(a['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(a['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(a['plumb.request.queue_ms']).toBeGreaterThan(0);
    expect(a['plumb.request.time_to_first_chunk_ms']).toBeGreaterThanOrEqual(
      a['plumb.request.queue_ms'] as number,
    );
    expect(a['gen_ai.response.time_to_first_chunk']).toBeCloseTo(
      (a['plumb.request.time_to_first_chunk_ms'] as number) / 1000,
    );
    expect(a['plumb.request.id']).toBe(stream.requestId);
  });

  it('records each retry and its cause as a span event', async () => {
    await emulate({ faults: [{ status: 429, headers: noWait, times: 1 }] });
    const client = clientFor({ telemetry: telemetry(), maxRetries: 2 });
    await client.chat.completions.create(hello);
    const span = only('chat deepseek-flash');
    expect(span.attributes['plumb.request.retries']).toBe(1);
    expect(span.attributes['plumb.request.attempts']).toBe(2);
    const retries = span.events.filter((event) => event.name === 'plumb.retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]!.attributes).toMatchObject({
      'plumb.retry.attempt': 1,
      'error.type': '429',
      'http.response.status_code': 429,
    });
    expect(span.status.code).toBe(0);
  });

  it('reports the wait for a maxConcurrency slot apart from DeepSeek queue time', async () => {
    await emulate({
      script: [{ content: 'first', fault: { keepAlive: { ms: 60, intervalMs: 20 } } }, { content: 'second' }],
    });
    const client = clientFor({ telemetry: telemetry(), maxConcurrency: 1 });
    await Promise.all([client.chat.completions.create(hello), client.chat.completions.create(hello)]);
    const [first, second] = exporter
      .getFinishedSpans()
      .sort(
        (a, b) =>
          (a.attributes['plumb.request.slot_wait_ms'] as number) -
          (b.attributes['plumb.request.slot_wait_ms'] as number),
      );
    expect(first!.attributes['plumb.request.slot_wait_ms']).toBe(0);
    expect(first!.attributes['plumb.request.queue_ms']).toBeGreaterThan(0);
    expect(second!.attributes['plumb.request.slot_wait_ms']).toBeGreaterThan(0);
    expect(second!.attributes['plumb.request.queue_ms']).toBe(0);
  });

  it('marks a failed request as an error span with error.type, also for streams', async () => {
    await emulate({ faults: [{ status: 402 }] });
    const client = clientFor({ telemetry: telemetry() });
    await failureOf(client.chat.completions.create(hello));
    await failureOf(client.chat.completions.stream(hello).finalCompletion());
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.status.code).toBe(2); // ERROR
      expect(span.attributes['error.type']).toBe('402');
      expect(span.events.map((event) => event.name)).toContain('exception');
    }
    const durations = await metricPoints('gen_ai.client.operation.duration');
    expect(durations.some((point) => point.attributes['error.type'] === '402')).toBe(true);
  });

  it('records content only when asked, with the key and configured secrets masked', async () => {
    const emulator = await emulate({
      script: [{ content: 'The password is hunter2-secret', reasoning: 'thinking' }],
    });
    const client = clientFor({ telemetry: telemetry({ recordContent: true, secrets: ['hunter2-secret'] }) });
    await client.chat.completions.create({
      model: 'deepseek-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: `My key is ${emulator.apiKey} and sk-abcdefghijklmnop1234` },
      ],
    });
    const span = only('chat deepseek-flash');
    const input = JSON.parse(span.attributes['gen_ai.input.messages'] as string);
    expect(input).toEqual([
      { role: 'user', parts: [{ type: 'text', content: expect.stringContaining('My key is ****') }] },
    ]);
    expect(JSON.parse(span.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    const output = JSON.parse(span.attributes['gen_ai.output.messages'] as string);
    expect(output[0]).toMatchObject({ role: 'assistant', finish_reason: 'stop' });
    expect(output[0].parts).toContainEqual({ type: 'reasoning', content: 'thinking' });
    expect(output[0].parts).toContainEqual({ type: 'text', content: 'The password is ****' });
    const text = dump(span);
    expect(text).not.toContain(emulator.apiKey);
    expect(text).not.toContain('sk-abcdefghijklmnop1234');
    expect(text).not.toContain('hunter2-secret');
  });

  it('nests under the parent given per call, and uses the global provider with telemetry: true', async () => {
    await emulate();
    trace.setGlobalTracerProvider(provider);
    const client = clientFor({ telemetry: true });
    const parent: Span = provider.getTracer('test').startSpan('parent');
    await client.chat.completions.create(hello, {
      telemetry: { parent: trace.setSpan(context.active(), parent), attributes: { 'plumb.agent.step': 3 } },
    });
    parent.end();
    const span = only('chat deepseek-flash');
    expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(span.attributes['plumb.agent.step']).toBe(3);
  });

  it('records token usage, duration, cost and cache metrics', async () => {
    await emulate({
      script: [
        {
          content: 'ok',
          usage: { prompt_cache_hit_tokens: 3, prompt_cache_miss_tokens: 7, prompt_tokens: 10 },
        },
      ],
    });
    const client = clientFor({ telemetry: telemetry() });
    await client.chat.completions.create(hello);
    const tokens = await metricPoints('gen_ai.client.token.usage');
    const input = tokens.find((point) => point.attributes['gen_ai.token.type'] === 'input');
    expect((input!.value as Histogram).sum).toBe(10);
    expect(input?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'deepseek',
    });
    expect(tokens.some((point) => point.attributes['gen_ai.token.type'] === 'output')).toBe(true);
    const durations = await metricPoints('gen_ai.client.operation.duration');
    expect((durations[0]!.value as Histogram).count).toBe(1);
    const cache = await metricPoints('plumb.client.cache.tokens');
    expect(cache.find((point) => point.attributes['plumb.cache.result'] === 'hit')?.value).toBe(3);
    expect(cache.find((point) => point.attributes['plumb.cache.result'] === 'miss')?.value).toBe(7);
    const cost = await metricPoints('plumb.client.cost');
    expect(cost.map((point) => point.attributes['plumb.cost.currency']).sort()).toEqual(['CNY', 'USD']);
    // Priced once: the metric adds what the span says the request cost.
    const span = only('chat deepseek-flash');
    const usd = cost.find((point) => point.attributes['plumb.cost.currency'] === 'USD')!;
    expect(usd.value).toBe(span.attributes['plumb.cost.usd']);
    expect(usd.attributes['plumb.cost.price_period']).toBe(span.attributes['plumb.cost.price_period']);
    const cny = cost.find((point) => point.attributes['plumb.cost.currency'] === 'CNY')!;
    expect(cny.value).toBe(span.attributes['plumb.cost.cny']);
  });

  it('builds no attributes for a sampled-out span and still records the metrics', async () => {
    const usage = { prompt_cache_hit_tokens: 3, prompt_cache_miss_tokens: 7, prompt_tokens: 10 };
    await emulate({
      script: [
        { content: 'ok', usage },
        { content: 'ok', usage },
      ],
    });
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
        vi.spyOn(span, 'addEvent');
        started.push(span);
        return span;
      },
    };
    const client = clientFor({ telemetry: { tracer, meter: meterProvider.getMeter('test') } });
    await client.chat.completions.create(hello);
    for await (const _chunk of client.chat.completions.stream(hello));
    expect(started).toHaveLength(2);
    for (const span of started) {
      expect(span.isRecording()).toBe(false);
      expect(span.setAttributes).not.toHaveBeenCalled();
      expect(span.addEvent).not.toHaveBeenCalled();
    }
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    const durations = await metricPoints('gen_ai.client.operation.duration');
    expect((durations[0]!.value as Histogram).count).toBe(2);
    expect(durations[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'deepseek-flash',
      'gen_ai.response.model': 'deepseek-flash',
    });
    const cache = await metricPoints('plumb.client.cache.tokens');
    expect(cache.find((point) => point.attributes['plumb.cache.result'] === 'hit')?.value).toBe(6);
    const cost = await metricPoints('plumb.client.cost');
    expect(cost.map((point) => point.attributes['plumb.cost.currency']).sort()).toEqual(['CNY', 'USD']);
    expect(cost.every((point) => (point.value as number) > 0)).toBe(true);
    await sampledOut.shutdown();
  });

  it('makes no spans when telemetry is off', async () => {
    await emulate();
    trace.setGlobalTracerProvider(provider);
    await clientFor().chat.completions.create(hello);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('rejects a malformed telemetry option with a ConfigError naming the field', () => {
    expect(() => new DeepSeek({ apiKey: 'sk-fake-x', telemetry: 'yes' as never })).toThrow(ConfigError);
    expect(() => new DeepSeek({ apiKey: 'sk-fake-x', telemetry: { tracer: {} as never } })).toThrow(
      expect.objectContaining({ name: 'ConfigError', field: 'telemetry.tracer' }),
    );
    expect(() => new DeepSeek({ apiKey: 'sk-fake-x', telemetry: { recordContnet: true } as never })).toThrow(
      /telemetry\.recordContnet/,
    );
  });
});
