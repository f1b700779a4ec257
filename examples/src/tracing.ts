/**
 * OpenTelemetry traces of an agent run: `invoke_agent` for the run, `chat` for each model request,
 * `execute_tool` for each tool call, a sub-agent nested under the call that started it, printed as
 * a tree from an in-memory exporter. With OTEL_EXPORTER_OTLP_ENDPOINT set (e.g.
 * http://localhost:4318), the spans also go to that collector: Jaeger, Langfuse, Phoenix...
 *   pnpm example tracing
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { Agent } from '@plumb/agent';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';
import { bold, dim } from './lib/terminal.js';
import { createWeatherAgent, getWeather } from './lib/weather.js';

/** Sends spans to an OpenTelemetry collector over OTLP/HTTP (what Jaeger, Langfuse and Phoenix accept). */
function otlp(endpoint: string): SpanProcessor {
  // #region otlp
  const exporter = new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }); // e.g. http://localhost:4318
  return new BatchSpanProcessor({ exporter });
  // #endregion
}

run(async () => {
  const { client } = await connect({
    script: (request) => {
      const system: string = request.body.messages[0]?.content ?? '';
      const last = request.body.messages.at(-1);
      if (system.startsWith('You answer questions about the weather')) {
        // The weather agent (the sub-agent).
        return last.role === 'tool'
          ? { content: 'Oslo: 9 °C and windy.' }
          : { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] };
      }
      return last.role === 'tool'
        ? {
            content:
              'Paris is 18 °C with light rain, Oslo 9 °C and windy: pack a raincoat and a warm jacket.',
          }
        : {
            toolCalls: [
              { name: 'get_weather', arguments: { city: 'Paris' } },
              { name: 'weather_expert', arguments: { input: 'What is the weather in Oslo now?' } },
            ],
          };
    },
  });

  const memory = new InMemorySpanExporter();
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  // #region setup
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory }), ...(endpoint ? [otlp(endpoint)] : [])],
  });
  const tracer = provider.getTracer('travel-app');
  // #endregion

  // #region agent
  const agent = new Agent({
    client,
    name: 'travel',
    instructions: 'You plan trips. Use get_weather, and weather_expert for questions that need more.',
    tools: [
      getWeather,
      createWeatherAgent(client).asTool({
        name: 'weather_expert',
        description: 'Answers weather questions.',
      }),
    ],
    telemetry: { tracer }, // or `true` for OpenTelemetry's global provider; add recordContent: true for messages
  });
  const result = await agent.run('I am going to Paris, then Oslo. What should I pack?');
  // #endregion
  console.log(`${result.text}\n`);
  printTree(memory.getFinishedSpans());
  // #region shutdown
  await provider.shutdown(); // flushes the exporters before the process exits
  // #endregion
});

/** The spans as an indented tree, with the attributes worth a glance. */
function printTree(spans: ReadableSpan[]): void {
  const children = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent !== undefined && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const ms = (span: ReadableSpan) => Math.round(span.duration[0] * 1000 + span.duration[1] / 1e6);
  const print = (span: ReadableSpan, depth: number) => {
    const a = span.attributes;
    const details: string[] = [];
    if (a['gen_ai.usage.input_tokens'] !== undefined) {
      details.push(`${a['gen_ai.usage.input_tokens']} in / ${a['gen_ai.usage.output_tokens']} out tokens`);
    }
    if (typeof a['plumb.cache.hit_ratio'] === 'number')
      details.push(`cache ${Math.round(a['plumb.cache.hit_ratio'] * 100)}%`);
    if (typeof a['plumb.cost.usd'] === 'number') details.push(`$${a['plumb.cost.usd'].toFixed(6)}`);
    if (a['gen_ai.response.finish_reasons'] !== undefined)
      details.push(`finish ${String(a['gen_ai.response.finish_reasons'])}`);
    if (a['plumb.tool.status'] !== undefined) details.push(`status ${String(a['plumb.tool.status'])}`);
    if (typeof a['plumb.request.queue_ms'] === 'number' && a['plumb.request.queue_ms'] > 0) {
      details.push(`queued ${a['plumb.request.queue_ms']} ms`);
    }
    console.log(`${'  '.repeat(depth)}${bold(span.name)} ${dim(`${ms(span)} ms · ${details.join(' · ')}`)}`);
    const kids = (children.get(span.spanContext().spanId) ?? []).sort(
      (x, y) => x.startTime[0] - y.startTime[0] || x.startTime[1] - y.startTime[1],
    );
    for (const child of kids) print(child, depth + 1);
  };
  for (const root of children.get(undefined) ?? []) print(root, 0);
  console.log(dim(`\n${spans.length} spans, one trace: ${spans[0]?.spanContext().traceId}`));
}
