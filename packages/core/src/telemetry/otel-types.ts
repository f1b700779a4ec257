/**
 * The parts of `@opentelemetry/api` plumb uses, as structural types. The package is an optional
 * peer dependency: these types keep plumb's own `.d.ts` free of it, and an OpenTelemetry `Tracer`,
 * `Meter` or `Context` from any 1.x version of the API fits them.
 */

export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];
export type Attributes = Record<string, AttributeValue | undefined>;

/** An OpenTelemetry `Context` (opaque here). */
export type OtelContext = object;

interface OtelSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
}

export interface OtelLink {
  context: OtelSpanContext;
  attributes?: Attributes;
}

export interface OtelSpan {
  spanContext(): OtelSpanContext;
  setAttribute(key: string, value: AttributeValue): unknown;
  setAttributes(attributes: Attributes): unknown;
  addEvent(name: string, attributes?: Attributes, time?: number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  updateName(name: string): unknown;
  end(endTime?: number): void;
  isRecording(): boolean;
}

interface SpanOptions {
  kind?: number;
  attributes?: Attributes;
  links?: OtelLink[];
  startTime?: number;
}

/** An OpenTelemetry `Tracer`. */
export interface OtelTracer {
  startSpan(name: string, options?: SpanOptions, context?: OtelContext): OtelSpan;
}

export interface OtelHistogram {
  record(value: number, attributes?: Attributes): void;
}

export interface OtelCounter {
  add(value: number, attributes?: Attributes): void;
}

interface MetricOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** An OpenTelemetry `Meter`. */
export interface OtelMeter {
  createHistogram(name: string, options?: MetricOptions): OtelHistogram;
  createCounter(name: string, options?: MetricOptions): OtelCounter;
}

/** What plumb uses of the `@opentelemetry/api` module. */
export interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
    getSpan(context: OtelContext): OtelSpan | undefined;
  };
  context: {
    active(): OtelContext;
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
      context: OtelContext,
      fn: F,
      thisArg?: ThisParameterType<F>,
      ...args: A
    ): ReturnType<F>;
  };
  metrics: { getMeter(name: string, version?: string): OtelMeter };
  ROOT_CONTEXT: OtelContext;
}

/** `SpanKind` values of the API (stable numbers). */
export const SPAN_KIND_INTERNAL = 0;
export const SPAN_KIND_CLIENT = 2;
/** `SpanStatusCode.ERROR`. */
export const STATUS_ERROR = 2;
