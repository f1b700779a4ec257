import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { clientFor, emulate, failureOf } from '../test-helpers.js';
import { dump, exporter, metricPoints, only, provider, telemetry } from './otel-test-setup.js';

// FIM completions (`client.completions`) get `text_completion {model}` spans, as chat requests get
// `chat {model}` spans (chat-span.test.ts): the GenAI conventions' operation for prompt completions.

const fim = { model: 'deepseek-flash', prompt: 'def fib(n):', suffix: '    return a' } as const;

describe('FIM completion spans', () => {
  it('traces completions.create() as text_completion with the GenAI attributes, without content', async () => {
    const emulator = await emulate({
      script: [
        {
          content: '\n    a, b = 0, 1\n',
          usage: { prompt_cache_hit_tokens: 2, prompt_cache_miss_tokens: 8, prompt_tokens: 10 },
        },
      ],
    });
    const client = clientFor({ telemetry: telemetry() });
    const completion = await client.completions.create({ ...fim, max_tokens: 64, temperature: 0.2 });
    const span = only('text_completion deepseek-flash');
    expect(span.kind).toBe(2); // CLIENT
    const a = span.attributes;
    expect(a).toMatchObject({
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.provider.name': 'deepseek',
      'gen_ai.request.model': 'deepseek-flash',
      'gen_ai.request.stream': false,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.output.type': 'text',
      'gen_ai.response.id': completion.id,
      'gen_ai.response.model': completion.model,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': completion.usage?.completion_tokens,
      'gen_ai.usage.cache_read.input_tokens': 2,
      'plumb.usage.cache_miss.input_tokens': 8,
      'plumb.cache.hit_ratio': 0.2,
      'plumb.request.prompt_chars': fim.prompt.length,
      'plumb.request.suffix_chars': fim.suffix.length,
      'plumb.request.attempts': 1,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(emulator.url).port),
    });
    expect(a['plumb.request.id']).toMatch(/^[0-9a-f]{32}$/);
    expect(a['plumb.cost.usd']).toBeGreaterThan(0);
    // Chat-only attributes stay off a FIM span.
    expect(a['plumb.request.messages']).toBeUndefined();
    expect(a['plumb.request.tools']).toBeUndefined();
    // Content is off by default: no prompt, suffix, answer or key.
    expect(a['gen_ai.input.messages']).toBeUndefined();
    expect(a['gen_ai.output.messages']).toBeUndefined();
    expect(dump(span)).not.toContain('fib');
    expect(dump(span)).not.toContain('return a');
    expect(dump(span)).not.toContain('a, b = 0, 1');
    expect(dump(span)).not.toContain(emulator.apiKey);
    const durations = await metricPoints('gen_ai.client.operation.duration');
    expect(durations.map((point) => point.attributes['gen_ai.operation.name'])).toEqual(['text_completion']);
    const tokens = await metricPoints('gen_ai.client.token.usage');
    expect(tokens.map((point) => point.attributes['gen_ai.token.type']).sort()).toEqual(['input', 'output']);
  });

  it('traces completions.stream() from first read to the end, with time to first chunk', async () => {
    await emulate({
      script: [{ content: 'streamed fill', fault: { keepAlive: { ms: 60, intervalMs: 20 } } }],
    });
    const client = clientFor({ telemetry: telemetry() });
    const stream = client.completions.stream(fim);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('streamed fill');
    const a = only('text_completion deepseek-flash').attributes;
    expect(a['gen_ai.operation.name']).toBe('text_completion');
    expect(a['gen_ai.request.stream']).toBe(true);
    expect(a['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(a['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(a['plumb.request.queue_ms']).toBeGreaterThan(0);
    expect(a['plumb.request.time_to_first_chunk_ms']).toBeGreaterThanOrEqual(
      a['plumb.request.queue_ms'] as number,
    );
    expect(a['plumb.request.id']).toBe(stream.requestId);
  });

  it('nests under the parent given in the call options', async () => {
    await emulate({ script: [{ content: 'x' }] });
    const client = clientFor({ telemetry: telemetry() });
    const parent = provider.getTracer('test').startSpan('editor');
    await client.completions.create(fim, {
      telemetry: { parent: trace.setSpan(context.active(), parent), attributes: { 'app.file': 'fib.py' } },
    });
    parent.end();
    const span = only('text_completion deepseek-flash');
    expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(span.attributes['app.file']).toBe('fib.py');
  });

  it('marks a failed FIM request as an error span, also for streams', async () => {
    await emulate({ faults: [{ status: 402 }] });
    const client = clientFor({ telemetry: telemetry() });
    await failureOf(client.completions.create(fim));
    await failureOf(client.completions.stream(fim).finalCompletion());
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      'text_completion deepseek-flash',
      'text_completion deepseek-flash',
    ]);
    for (const span of spans) {
      expect(span.status.code).toBe(2); // ERROR
      expect(span.attributes['error.type']).toBe('402');
      expect(span.events.map((event) => event.name)).toContain('exception');
    }
  });

  it('records prompt, suffix and answer only when asked, with the key and secrets masked', async () => {
    const emulator = await emulate({ script: [{ content: 'token = "hunter2-secret"' }] });
    const client = clientFor({ telemetry: telemetry({ recordContent: true, secrets: ['hunter2-secret'] }) });
    await client.completions.create({
      model: 'deepseek-flash',
      prompt: `# key ${emulator.apiKey}\ndef f():`,
      suffix: 'return hunter2-secret',
    });
    const span = only('text_completion deepseek-flash');
    const a = span.attributes;
    expect(JSON.parse(a['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: '# key ****\ndef f():' }] },
    ]);
    expect(a['plumb.request.suffix']).toBe('return ****');
    expect(JSON.parse(a['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'token = "****"' }], finish_reason: 'stop' },
    ]);
    expect(dump(span)).not.toContain(emulator.apiKey);
    expect(dump(span)).not.toContain('hunter2-secret');
  });
});
