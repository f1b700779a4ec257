import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** An exporter that drops every span: what tracing costs plumb itself, without any I/O. */
class NoopExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

/** A real SDK tracer, set up as in production (spans recorded, batched, exported), whose exporter does nothing. */
export function noopExportTracer() {
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new NoopExporter())] });
  return provider.getTracer('plumb-bench');
}
