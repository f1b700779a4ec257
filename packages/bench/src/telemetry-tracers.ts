/**
 * The tracers of the telemetry scenario's extra rows (telemetry-child.ts), which split the cost of
 * tracing into its two parts:
 *
 * - `stubTracer()`: spans that record nothing (every method empty, `isRecording()` true, so plumb
 *   builds every attribute as it would for a real SDK). Telemetry on with it costs what plumb's own
 *   telemetry code costs, without the SDK.
 * - `recordCalls()` + `SdkReplay`: the SDK floor. One traced run is recorded (every `startSpan` and
 *   every call on its spans, arguments copied); a plain run then makes exactly those SDK calls from
 *   a trivial wrapper (the run's span around it, each step's spans from the step's tool call), with
 *   no plumb telemetry code at all. What that adds to a plain run is what the SDK itself costs.
 */
import {
  type Context,
  context as otelContext,
  ROOT_CONTEXT,
  type Span,
  type Tracer,
  trace,
} from '@opentelemetry/api';

const STUB_CONTEXT = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
};

/** A span that records nothing but says it does (plumb does all its work for it). */
const STUB_SPAN = {
  spanContext: () => STUB_CONTEXT,
  setAttribute: () => STUB_SPAN,
  setAttributes: () => STUB_SPAN,
  addEvent: () => STUB_SPAN,
  addLink: () => STUB_SPAN,
  addLinks: () => STUB_SPAN,
  setStatus: () => STUB_SPAN,
  updateName: () => STUB_SPAN,
  end: () => {},
  isRecording: () => true,
  recordException: () => {},
} as unknown as Span;

/** A tracer whose spans cost nothing: what plumb's telemetry code costs on its own. */
export function stubTracer(): Tracer {
  return {
    startSpan: () => STUB_SPAN,
    startActiveSpan: (() => {
      throw new Error('not used by plumb');
    }) as Tracer['startActiveSpan'],
  };
}

/** One call on a recorded span. */
type SpanCall = { method: keyof Span & string; args: unknown[] };

/** One recorded span: how it was started (parent: the index of the span it nests under) and its calls. */
export interface RecordedSpan {
  name: string;
  options: Parameters<Tracer['startSpan']>[1];
  parent: number | undefined;
  /** The `plumb.agent.step` attribute it started with (undefined: the run's span). */
  step: number | undefined;
  calls: SpanCall[];
}

/** Deep copy of recorded arguments (attribute objects are plain data). */
function copy<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

/**
 * Wraps `tracer`: every span started through it, and every call on those spans, is appended to
 * `spans` (then forwarded, so the run behaves as traced).
 */
export function recordCalls(tracer: Tracer, spans: RecordedSpan[]): Tracer {
  const ids = new WeakMap<Span, number>();
  return {
    startSpan(name, options, context) {
      const parentSpan = context === undefined ? undefined : trace.getSpan(context);
      const step = options?.attributes?.['plumb.agent.step'];
      const recorded: RecordedSpan = {
        name,
        options: copy(options),
        parent: parentSpan === undefined ? undefined : ids.get(parentSpan),
        step: typeof step === 'number' ? step : undefined,
        calls: [],
      };
      spans.push(recorded);
      const span = tracer.startSpan(name, options, context);
      const wrapped = new Proxy(span, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (typeof value !== 'function' || typeof key !== 'string') return value;
          return (...args: unknown[]) => {
            if (key !== 'spanContext' && key !== 'isRecording')
              recorded.calls.push({ method: key as SpanCall['method'], args: copy(args) });
            const out = (value as (...a: unknown[]) => unknown).apply(target, args);
            return out === target ? wrapped : out;
          };
        },
      });
      ids.set(wrapped, spans.length - 1);
      return wrapped;
    },
    startActiveSpan: (() => {
      throw new Error('not used by plumb');
    }) as Tracer['startActiveSpan'],
  };
}

/**
 * Replays a recorded run's SDK calls on `tracer` around a plain run: `begin()` before it starts the
 * run's span, `step()` (from each tool call) makes the spans of the next step, `end()` after it the
 * rest (the final answer's request, the run's span's end). Arguments are the recorded ones (the
 * SDK copies what it keeps, so they can be passed again).
 */
export class SdkReplay {
  readonly #tracer: Tracer;
  readonly #spans: RecordedSpan[];
  /** Indexes of the spans of each step, in step order; and of the run's span(s). */
  readonly #steps: number[][];
  readonly #runs: number[];
  #live: Span[] = [];
  #contexts: Context[] = [];
  #next = 0;

  constructor(tracer: Tracer, spans: RecordedSpan[]) {
    this.#tracer = tracer;
    this.#spans = spans;
    const steps = new Map<number, number[]>();
    this.#runs = [];
    spans.forEach((span, index) => {
      if (span.step === undefined) this.#runs.push(index);
      else steps.set(span.step, [...(steps.get(span.step) ?? []), index]);
    });
    this.#steps = [...steps.entries()].sort(([a], [b]) => a - b).map(([, indexes]) => indexes);
  }

  begin(): void {
    this.#live = [];
    this.#contexts = [];
    this.#next = 0;
    for (const index of this.#runs) this.#start(index);
  }

  /** The spans of the next step (its request and its tool calls). */
  step(): void {
    const indexes = this.#steps[this.#next++];
    if (indexes === undefined) return;
    for (const index of indexes) this.#run(this.#start(index), this.#spans[index]!.calls);
  }

  end(): void {
    while (this.#next < this.#steps.length) this.step();
    for (const index of this.#runs) this.#run(this.#live[index]!, this.#spans[index]!.calls);
  }

  #start(index: number): Span {
    const span = this.#spans[index]!;
    const parent = span.parent;
    let context: Context;
    if (parent === undefined) context = otelContext.active();
    else context = this.#contexts[parent] ??= trace.setSpan(ROOT_CONTEXT, this.#live[parent]!);
    const started = this.#tracer.startSpan(span.name, span.options, context);
    this.#live[index] = started;
    return started;
  }

  #run(span: Span, calls: SpanCall[]): void {
    for (const call of calls) (span[call.method] as (...args: unknown[]) => unknown)(...call.args);
  }
}
