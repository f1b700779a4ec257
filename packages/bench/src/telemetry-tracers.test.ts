import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { type RecordedSpan, recordCalls, SdkReplay, stubTracer } from './telemetry-tracers.js';

function memoryTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('test') };
}

/** What a run of two steps looks like to the tracer: the run's span, and a request and a tool call per step. */
function traceRun(tracer: ReturnType<typeof memoryTracer>['tracer']): void {
  const run = tracer.startSpan('invoke_agent a', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
  const parent = trace.setSpan(ROOT_CONTEXT, run);
  for (const step of [0, 1]) {
    const chat = tracer.startSpan('chat m', { kind: 2, attributes: { 'plumb.agent.step': step } }, parent);
    chat.setAttributes({ 'gen_ai.usage.input_tokens': 10 + step });
    chat.end();
    const call = tracer.startSpan('execute_tool t', { attributes: { 'plumb.agent.step': step } }, parent);
    call.setAttributes({ 'plumb.tool.status': 'ok' });
    call.end();
  }
  run.setAttributes({ 'plumb.agent.steps': 2 });
  run.end();
}

const shape = (spans: ReadableSpan[]) =>
  spans.map((span) => ({
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
    parent: spans.find((other) => other.spanContext().spanId === span.parentSpanContext?.spanId)?.name,
  }));

describe('SDK floor replay', () => {
  it('records a run and replays the same SDK calls: names, kinds, attributes and nesting', () => {
    const original = memoryTracer();
    const spans: RecordedSpan[] = [];
    traceRun(recordCalls(original.tracer, spans));
    expect(spans.map((span) => [span.name, span.step, span.parent])).toEqual([
      ['invoke_agent a', undefined, undefined],
      ['chat m', 0, 0],
      ['execute_tool t', 0, 0],
      ['chat m', 1, 0],
      ['execute_tool t', 1, 0],
    ]);
    const replayed = memoryTracer();
    const replay = new SdkReplay(replayed.tracer, spans);
    replay.begin();
    replay.step();
    // Step 0's spans are made by its step() call; the rest waits for the next step() or end().
    expect(replayed.exporter.getFinishedSpans().map((span) => span.name)).toEqual([
      'chat m',
      'execute_tool t',
    ]);
    replay.end();
    expect(shape(replayed.exporter.getFinishedSpans())).toEqual(shape(original.exporter.getFinishedSpans()));
  });

  it('replays again on begin(), each time a new trace', () => {
    const spans: RecordedSpan[] = [];
    traceRun(recordCalls(memoryTracer().tracer, spans));
    const replayed = memoryTracer();
    const replay = new SdkReplay(replayed.tracer, spans);
    for (let run = 0; run < 2; run++) {
      replay.begin();
      replay.end();
    }
    const finished = replayed.exporter.getFinishedSpans();
    expect(finished).toHaveLength(10);
    expect(new Set(finished.map((span) => span.spanContext().traceId)).size).toBe(2);
  });
});

describe('stub tracer', () => {
  it('gives spans that say they record and keep nothing', () => {
    const span = stubTracer().startSpan('chat m', { attributes: { a: 1 } }, context.active());
    expect(span.isRecording()).toBe(true);
    expect(span.setAttributes({ b: 2 })).toBe(span);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
    span.end();
  });
});
