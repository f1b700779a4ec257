/**
 * The agent's OpenTelemetry spans: `invoke_agent {name}` for a run, `execute_tool {name}` for each
 * tool call, and the `chat {model}` spans of core nested under the run. Sub-agents (`asTool`) nest
 * under the tool call that started them; a run resumed from a `RunState` links to the span of the
 * run that paused, also across processes (the pause's trace context is kept in the state).
 */
import {
  type Attributes,
  assistantParts,
  ConfigError,
  cleanAttributes,
  type DeepSeek,
  errorType,
  inputMessages,
  type OtelContext,
  type OtelLink,
  type OtelSpan,
  type RequestOptions,
  SPAN_KIND_INTERNAL,
  STATUS_ERROR,
  Telemetry,
  usageAttributes,
} from '@plumb/core';
import type { AnyTool } from '@plumb/tools';
import { AgentConfigError } from '../errors.js';
import type { AgentResult, ToolCallRecord } from '../run/result.js';
import type { Progress } from '../run/run-context.js';
import type { RunState, RunStateTrace } from '../state/run-state.js';
import type { AgentConfig } from '../step/config.js';
import type { RunRecorder } from './recorder.js';

/**
 * What a tool call that is starting offers to the runs it starts synchronously (a sub-agent's
 * `run()` called from `execute`): the span to nest under and the parent run. Set only for the
 * synchronous part of the tool's start, so concurrent calls never see each other's.
 */
export interface Ambient {
  context: OtelContext | undefined;
  runId: string;
  callId: string;
  /** The parent run's telemetry: a sub-agent without a `telemetry` option of its own uses it. */
  telemetry?: Telemetry | undefined;
  /** The parent run's recorder: a sub-agent without a `recorder` option of its own uses it. */
  recorder?: RunRecorder | undefined;
}

let ambient: Ambient | undefined;

/** The tool call starting right now, if any (read by a sub-run when it starts). */
export function currentAmbient(): Ambient | undefined {
  return ambient;
}

/** Runs `start` with `value` as the ambient parent (only during its synchronous part). */
export function withAmbient<T>(value: Ambient, start: () => T): T {
  const previous = ambient;
  ambient = value;
  try {
    return start();
  } finally {
    ambient = previous;
  }
}

/**
 * Resolves the agent's `telemetry` option; without it, the client's (so one switch on the client
 * traces runs too). `false` stays `false`: off even under a traced parent run.
 */
export function resolveAgentTelemetry(
  option: unknown,
  client: DeepSeek,
  field = 'telemetry',
): Telemetry | false | undefined {
  if (option === false) return false;
  if (option === undefined) return client.telemetry;
  try {
    return Telemetry.from(option, field);
  } catch (error) {
    if (error instanceof ConfigError) throw new AgentConfigError(error.field, error.message);
    throw error;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The W3C `traceparent` of a span (what a paused run keeps to link its resumption). */
function traceparentOf(span: OtelSpan): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

function linkTo(trace: RunStateTrace | undefined): OtelLink[] {
  const match = trace?.traceparent === undefined ? null : TRACEPARENT.exec(trace.traceparent);
  if (match === null) return [];
  return [
    {
      context: {
        traceId: match[1]!,
        spanId: match[2]!,
        traceFlags: Number.parseInt(match[3]!, 16),
        isRemote: true,
      },
      attributes: { 'plumb.link.type': 'resumed_from' },
    },
  ];
}

/** The spans of one run. Built when the run starts (synchronously), begun once the API is loaded. */
export class RunTelemetry {
  readonly telemetry: Telemetry;
  readonly #config: AgentConfig;
  readonly #parent: OtelContext | undefined;
  readonly #resumedFrom: RunState | undefined;
  readonly #runId: string;
  #span: OtelSpan | undefined;
  #context: OtelContext | undefined;
  /** The spans of the calls running now (removed when each ends). */
  readonly #tools = new Map<ToolCallRecord, OtelSpan>();

  constructor(
    telemetry: Telemetry,
    config: AgentConfig,
    resumedFrom: RunState | undefined,
    runId: string,
    parent: Ambient | undefined,
  ) {
    this.telemetry = telemetry;
    this.#config = config;
    this.#resumedFrom = resumedFrom;
    this.#runId = runId;
    // Captured now, in the caller's synchronous context: a sub-agent's tool call, else the active span.
    this.#parent = parent?.context ?? telemetry.loadedApi?.context.active();
  }

  /** The run's span context (for its requests and tool calls), once begun. */
  get context(): OtelContext | undefined {
    return this.#context;
  }

  /** The trace id of the run's span, once begun. */
  get traceId(): string | undefined {
    return this.#span?.spanContext().traceId;
  }

  /** Starts the `invoke_agent` span (waits for `@opentelemetry/api` the first time). */
  async begin(progress: Progress): Promise<void> {
    const telemetry = await this.telemetry.ready();
    const api = telemetry.api;
    const config = this.#config;
    const parent = this.#parent ?? api.context.active();
    const resumed = this.#resumedFrom !== undefined;
    const attributes: Attributes = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'deepseek',
      'gen_ai.agent.name': config.name,
      'gen_ai.request.model': config.model,
      'plumb.agent.run_id': this.#runId,
      'plumb.agent.resumed': resumed,
      'plumb.agent.tools': config.toolSet.names.length,
    };
    if (telemetry.recordContent && !resumed) {
      const { system, messages } = inputMessages(progress.messages);
      if (system.length > 0) attributes['gen_ai.system_instructions'] = this.content(system);
      attributes['gen_ai.input.messages'] = this.content(messages);
    }
    const span = telemetry.tracer.startSpan(
      `invoke_agent ${config.name}`,
      { kind: SPAN_KIND_INTERNAL, attributes, links: linkTo(this.#resumedFrom?.data.trace) },
      parent,
    );
    this.#span = span;
    this.#context = api.trace.setSpan(parent, span);
    for (const [callId, decision] of Object.entries(progress.decisions)) {
      const call = this.#resumedFrom?.interruptions.find((pending) => pending.id === callId);
      span.addEvent(
        'plumb.approval.decided',
        cleanAttributes({
          'gen_ai.tool.call.id': callId,
          'gen_ai.tool.name': call?.name,
          'plumb.approval.approved': decision.approved,
        }),
      );
    }
  }

  /** The request options of a step: the run's span as parent, the step index as an attribute. */
  requestOptions(base: RequestOptions, stepIndex: number): RequestOptions {
    // Object.assign, not a spread followed by a key: several times cheaper in V8 (once per step).
    return Object.assign({}, base, {
      telemetry: {
        telemetry: this.telemetry,
        parent: this.#context,
        attributes: { 'gen_ai.agent.name': this.#config.name, 'plumb.agent.step': stepIndex },
      },
    });
  }

  /** Starts the `execute_tool` span of a call that is about to run; returns the ambient for sub-runs. */
  toolStarted(
    record: ToolCallRecord,
    tool: AnyTool | undefined,
    stepIndex: number,
    recorder: RunRecorder | undefined,
  ): Ambient {
    const span = this.#toolSpan(record, tool, stepIndex);
    return new ToolAmbient(this.telemetry, this.#context, span, this.#runId, record.id, recorder);
  }

  #toolSpan(record: ToolCallRecord, tool: AnyTool | undefined, stepIndex: number): OtelSpan {
    const attributes: Attributes = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.provider.name': 'deepseek',
      'gen_ai.tool.name': record.name,
      'gen_ai.tool.call.id': record.id,
      'gen_ai.tool.type': 'function',
      'gen_ai.agent.name': this.#config.name,
      'plumb.agent.step': stepIndex,
    };
    const description = tool?.description;
    if (typeof description === 'string') attributes['gen_ai.tool.description'] = description;
    if (this.telemetry.recordContent)
      attributes['gen_ai.tool.call.arguments'] = this.content(record.rawArguments);
    const span = this.telemetry.tracer.startSpan(
      `execute_tool ${record.name}`,
      { kind: SPAN_KIND_INTERNAL, attributes },
      this.#context,
    );
    this.#tools.set(record, span);
    return span;
  }

  /**
   * Ends a call's span once it is answered. A call answered without running (unknown tool,
   * invalid arguments, rejected, cancelled) gets a span of its own that starts and ends here.
   */
  toolEnded(
    record: ToolCallRecord,
    tools: { get(name: string): AnyTool | undefined },
    stepIndex: number,
  ): void {
    if (this.#span === undefined) return;
    let span = this.#tools.get(record);
    if (span === undefined) span = this.#toolSpan(record, tools.get(record.name), stepIndex);
    this.#tools.delete(record);
    // Sampled out: nothing to build.
    if (!span.isRecording()) {
      span.end();
      return;
    }
    const attributes: Attributes = { 'plumb.tool.status': record.status };
    if (record.durationMs !== undefined) attributes['plumb.tool.duration_ms'] = record.durationMs;
    if (record.usage !== undefined) {
      attributes['gen_ai.usage.input_tokens'] = record.usage.prompt_tokens;
      attributes['gen_ai.usage.output_tokens'] = record.usage.completion_tokens;
    }
    if (this.telemetry.recordContent) attributes['gen_ai.tool.call.result'] = this.content(record.content);
    if (record.status === 'error' || record.status === 'cancelled') {
      const type = record.status === 'cancelled' ? 'cancelled' : toolErrorType(record);
      attributes['error.type'] = type;
      // A tool's error text may quote its input: it is content, kept only with recordContent.
      const message =
        record.error === undefined || !this.telemetry.recordContent ? undefined : this.content(record.error);
      span.setStatus(message === undefined ? { code: STATUS_ERROR } : { code: STATUS_ERROR, message });
    }
    span.setAttributes(attributes);
    span.end();
  }

  /** Ends the run's span with its totals; a paused run keeps its trace context in the state. */
  end(result: AgentResult<unknown>): void {
    const span = this.#span;
    if (span === undefined) return;
    if (result.state !== undefined) {
      result.state.data.trace = { ...result.state.data.trace, traceparent: traceparentOf(span) };
    }
    if (span.isRecording()) this.#ending(span, result);
    span.end();
  }

  #ending(span: OtelSpan, result: AgentResult<unknown>): void {
    const attributes: Attributes = {
      ...usageAttributes(result.usage, this.#config.model, new Date()),
      'gen_ai.response.finish_reasons': [result.finishReason],
      'plumb.agent.finish_reason': result.finishReason,
      'plumb.agent.steps': result.steps.length,
      'plumb.agent.tool_calls': result.steps.reduce((sum, step) => sum + step.toolCalls.length, 0),
    };
    // The run's cost is the sum of its steps at the price of the time each ran.
    delete attributes['plumb.cost.usd'];
    delete attributes['plumb.cost.cny'];
    delete attributes['plumb.cost.price_period'];
    delete attributes['plumb.cost.priced_as'];
    const cost = result.cost;
    if (cost !== undefined) {
      attributes[cost.currency === 'USD' ? 'plumb.cost.usd' : 'plumb.cost.cny'] = cost.total;
      attributes['plumb.cost.price_period'] = cost.peak ? 'peak' : 'off_peak';
      attributes['plumb.cost.priced_as'] = cost.pricedAs;
    }
    if (this.telemetry.recordContent) {
      attributes['gen_ai.output.messages'] = this.content([
        {
          role: 'assistant',
          parts: assistantParts(result.text, result.reasoning, undefined),
          finish_reason: result.finishReason,
        },
      ]);
    }
    for (const call of result.interruptions) {
      span.addEvent('plumb.approval.requested', {
        'gen_ai.tool.name': call.name,
        'gen_ai.tool.call.id': call.id,
      });
    }
    span.setAttributes(cleanAttributes(attributes));
  }

  /** Ends the run's span as failed (an AgentRunError, a StructuredOutputError, a bug). */
  fail(error: unknown): void {
    const span = this.#span;
    if (span === undefined) return;
    if (!span.isRecording()) {
      span.end();
      return;
    }
    const partial = (error as { result?: AgentResult<unknown> }).result;
    const attributes: Attributes = { 'error.type': errorType(error) };
    if (partial?.usage !== undefined)
      Object.assign(attributes, usageAttributes(partial.usage, this.#config.model, new Date()));
    if (partial?.steps !== undefined) attributes['plumb.agent.steps'] = partial.steps.length;
    // The message may quote the model's answer (a failed output schema): content, kept only on opt-in.
    const message =
      error instanceof Error && this.telemetry.recordContent ? this.content(error.message) : undefined;
    span.addEvent(
      'exception',
      cleanAttributes({ 'exception.type': errorType(error), 'exception.message': message }),
    );
    span.setStatus(message === undefined ? { code: STATUS_ERROR } : { code: STATUS_ERROR, message });
    span.setAttributes(cleanAttributes(attributes));
    span.end();
  }

  /** Redacted text for a span: the client's key, key-shaped text and the configured secrets masked. */
  content(value: unknown): string {
    const text = this.telemetry.content(value);
    const client = this.#config.client as Partial<DeepSeek>;
    return typeof client.redact === 'function' ? client.redact(text) : text;
  }
}

/**
 * What a starting tool call offers the runs it starts: its span's context is built only when a
 * sub-run asks for it (most tools start none).
 */
class ToolAmbient implements Ambient {
  readonly runId: string;
  readonly callId: string;
  readonly telemetry: Telemetry;
  recorder: RunRecorder | undefined;
  readonly #parent: OtelContext | undefined;
  readonly #span: OtelSpan;
  #context: OtelContext | undefined;

  constructor(
    telemetry: Telemetry,
    parent: OtelContext | undefined,
    span: OtelSpan,
    runId: string,
    callId: string,
    recorder: RunRecorder | undefined,
  ) {
    this.telemetry = telemetry;
    this.#parent = parent;
    this.#span = span;
    this.runId = runId;
    this.callId = callId;
    this.recorder = recorder;
  }

  get context(): OtelContext | undefined {
    if (this.#context === undefined && this.#parent !== undefined)
      this.#context = this.telemetry.api.trace.setSpan(this.#parent, this.#span);
    return this.#context;
  }
}

function toolErrorType(record: ToolCallRecord): string {
  const error = record.error ?? '';
  if (error.startsWith('The model called unknown tool')) return 'unknown_tool';
  if (/timed out/.test(error)) return 'timeout';
  if (record.args === undefined) return 'invalid_arguments';
  return 'tool_error';
}
