/**
 * Test-only (not built, not exported): an OpenTelemetry SDK set up afresh for every test of a file
 * that imports this module: spans in memory, metrics through a reader collected on demand. The
 * bindings are live: `exporter`, `provider` and `meterProvider` are the current test's.
 */
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, expect } from 'vitest';

class TestReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export let exporter: InMemorySpanExporter;
export let provider: BasicTracerProvider;
export let meterProvider: MeterProvider;
let reader: TestReader;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  reader = new TestReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  meterProvider = new MeterProvider({ readers: [reader] });
});

afterEach(async () => {
  trace.disable();
  metrics.disable();
  await provider.shutdown();
  await meterProvider.shutdown();
});

/** The `telemetry` option of a client or call: this test's tracer and meter, and `more`. */
export const telemetry = (more: object = {}) => ({
  tracer: provider.getTracer('test'),
  meter: meterProvider.getMeter('test'),
  ...more,
});

/** The one finished span named `name` (fails the test unless there is exactly one). */
export function only(name: string): ReadableSpan {
  const spans = exporter.getFinishedSpans().filter((span) => span.name === name);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

/** Everything a span carries, as text (to prove something is absent). */
export function dump(span: ReadableSpan): string {
  return JSON.stringify({ attributes: span.attributes, events: span.events, status: span.status });
}

/** The data points recorded so far for metric `name`. */
export async function metricPoints(name: string): Promise<DataPoint<unknown>[]> {
  const { resourceMetrics } = await reader.collect();
  const found = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === name);
  return (found?.dataPoints ?? []) as DataPoint<unknown>[];
}
