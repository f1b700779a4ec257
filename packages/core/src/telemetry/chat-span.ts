/**
 * The `chat {model}` span of one chat completion request (or the `text_completion {model}` span of
 * a FIM completion), with the GenAI conventions' attributes and DeepSeek's own as `plumb.*`
 * attributes (cost, cache, queue and slot waits, retries, trace id), plus the request's metrics.
 */
import { costOf } from '../cost.js';
import { APIError, APITimeoutError } from '../errors.js';
import { pricesFor } from '../pricing.js';
import type { RetryInfo } from '../retry.js';
import type { RequestTiming } from '../timing.js';
import { cacheHitRatio, cacheHitTokens, cacheMissTokens } from '../usage.js';
import type { ChatCompletionCreateParamsBase, CompletionCreateParamsBase, Usage } from '../wire-types.js';
import { assistantParts, type ContentMessage, inputMessages } from './content.js';
import {
  type Attributes,
  type AttributeValue,
  type OtelContext,
  type OtelSpan,
  SPAN_KIND_CLIENT,
  STATUS_ERROR,
} from './otel-types.js';
import type { Telemetry } from './telemetry.js';

/** Per-call telemetry, passed in `RequestOptions.telemetry` (what an agent uses to nest its requests). */
export interface CallTelemetry {
  /** The telemetry of this call (e.g. an agent's). @default the client's `telemetry` */
  telemetry?: Telemetry | undefined;
  /** The OpenTelemetry `Context` the span nests under. @default the active context */
  parent?: OtelContext | undefined;
  /** More attributes for the call's span (e.g. `plumb.agent.step`). */
  attributes?: Attributes | undefined;
}

/** What a chat completion (or, for a failed stream, the part that arrived) looks like here. */
interface CompletionLike {
  id?: string | undefined;
  model?: string | undefined;
  usage?: Usage | null | undefined;
  choices?: Array<{
    finish_reason?: string | null | undefined;
    /** A FIM completion's text (`completions.create/stream`). */
    text?: string | null | undefined;
    message?: {
      content?: string | null | undefined;
      reasoning_content?: string | null | undefined;
      tool_calls?: Parameters<typeof assistantParts>[2];
    };
  }>;
}

/** How a request ended. */
export interface ChatOutcome {
  completion?: CompletionLike | undefined;
  requestId?: string | undefined;
  timing?: RequestTiming | undefined;
  error?: unknown;
}

const PROVIDER = 'deepseek';

/**
 * The conventions' `gen_ai.operation.name`: `chat` for `chat.completions`, `text_completion` for
 * FIM (`completions`). It also names the span: `{operation} {model}`.
 */
export type SpanOperation = 'chat' | 'text_completion';

/** The params of the request a span covers, by operation. */
export type SpanRequest =
  | { operation: 'chat'; params: ChatCompletionCreateParamsBase }
  | { operation: 'text_completion'; params: CompletionCreateParamsBase };

/** `error.type` of the conventions: the HTTP status, `timeout`, or the error class name. */
export function errorType(error: unknown): string {
  if (error instanceof APITimeoutError) return 'timeout';
  if (error instanceof APIError && error.status !== undefined) return String(error.status);
  if (error instanceof Error) return error.name || error.constructor.name || 'Error';
  return '_OTHER';
}

// A client talks to one or two base URLs and a few models: parse and look them up once.
const servers = new Map<string, { address: string; port: number } | undefined>();
const priced = new Map<string, boolean>();

function server(url: string): { address: string; port: number } | undefined {
  let found = servers.get(url);
  if (found === undefined && !servers.has(url)) {
    try {
      const parsed = new URL(url);
      const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
      found = { address: parsed.hostname, port };
    } catch {
      found = undefined;
    }
    if (servers.size < 64) servers.set(url, found);
  }
  return found;
}

function isPriced(model: string): boolean {
  let known = priced.get(model);
  if (known === undefined) {
    try {
      pricesFor(model);
      known = true;
    } catch {
      known = false;
    }
    if (priced.size < 256) priced.set(model, known);
  }
  return known;
}

/** Sets `key` unless `value` is undefined or null (spans keep no empty attributes). */
function put(attributes: Attributes, key: string, value: AttributeValue | null | undefined): void {
  if (value !== undefined && value !== null) attributes[key] = value;
}

/** A chat request's own attributes (and, with `recordContent`, its messages and tools). */
function chatAttributes(
  attributes: Attributes,
  params: ChatCompletionCreateParamsBase,
  telemetry: Telemetry,
  apiKey: string | undefined,
): void {
  const messages = Array.isArray(params.messages) ? params.messages : [];
  attributes['gen_ai.output.type'] = params.response_format?.type === 'json_object' ? 'json' : 'text';
  put(attributes, 'plumb.request.thinking', params.thinking?.type);
  put(attributes, 'plumb.request.reasoning_effort', params.reasoning_effort);
  attributes['plumb.request.messages'] = messages.length;
  attributes['plumb.request.tools'] = Array.isArray(params.tools) ? params.tools.length : 0;
  if (telemetry.recordContent) {
    const { system, messages: rest } = inputMessages(messages);
    if (system.length > 0) attributes['gen_ai.system_instructions'] = telemetry.content(system, apiKey);
    attributes['gen_ai.input.messages'] = telemetry.content(rest, apiKey);
    if (Array.isArray(params.tools) && params.tools.length > 0) {
      attributes['gen_ai.tool.definitions'] = telemetry.content(params.tools, apiKey);
    }
  }
}

/**
 * A FIM request's own attributes: the sizes of prompt and suffix (content: the prompt as the
 * conventions' user message and the suffix as `plumb.request.suffix`, only with `recordContent`).
 */
function completionAttributes(
  attributes: Attributes,
  params: CompletionCreateParamsBase,
  telemetry: Telemetry,
  apiKey: string | undefined,
): void {
  attributes['gen_ai.output.type'] = 'text';
  const prompt = typeof params.prompt === 'string' ? params.prompt : '';
  const suffix = typeof params.suffix === 'string' ? params.suffix : undefined;
  attributes['plumb.request.prompt_chars'] = prompt.length;
  if (suffix !== undefined) attributes['plumb.request.suffix_chars'] = suffix.length;
  put(attributes, 'plumb.request.echo', params.echo ?? undefined);
  put(attributes, 'plumb.request.logprobs', params.logprobs ?? undefined);
  if (telemetry.recordContent) {
    const input: ContentMessage[] = [{ role: 'user', parts: [{ type: 'text', content: prompt }] }];
    attributes['gen_ai.input.messages'] = telemetry.content(input, apiKey);
    if (suffix !== undefined) attributes['plumb.request.suffix'] = telemetry.redact(suffix, apiKey);
  }
}

/** One traced chat (or FIM) request. */
export class ChatSpan {
  readonly span: OtelSpan;
  readonly #telemetry: Telemetry;
  readonly #operation: SpanOperation;
  readonly #model: string;
  readonly #apiKey: string | undefined;
  readonly #server: { address: string; port: number } | undefined;
  readonly #start = performance.now();
  #ended = false;

  constructor(
    telemetry: Telemetry,
    request: SpanRequest,
    stream: boolean,
    url: string,
    apiKey: string | undefined,
    call: CallTelemetry | undefined,
  ) {
    this.#telemetry = telemetry;
    this.#apiKey = apiKey;
    const { operation, params } = request;
    this.#operation = operation;
    const model = typeof params.model === 'string' ? params.model : String(params.model);
    this.#model = model;
    const where = server(url);
    this.#server = where;
    // One object, filled in place: the SDK copies what it keeps.
    const attributes: Attributes = {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': PROVIDER,
      'gen_ai.request.model': model,
    };
    if (where !== undefined) {
      attributes['server.address'] = where.address;
      attributes['server.port'] = where.port;
    }
    attributes['gen_ai.request.stream'] = stream;
    put(attributes, 'gen_ai.request.max_tokens', params.max_tokens);
    put(attributes, 'gen_ai.request.temperature', params.temperature);
    put(attributes, 'gen_ai.request.top_p', params.top_p);
    put(attributes, 'gen_ai.request.frequency_penalty', params.frequency_penalty);
    put(attributes, 'gen_ai.request.presence_penalty', params.presence_penalty);
    const stop = params.stop;
    put(attributes, 'gen_ai.request.stop_sequences', typeof stop === 'string' ? [stop] : stop);
    if (request.operation === 'chat') chatAttributes(attributes, request.params, telemetry, apiKey);
    else completionAttributes(attributes, request.params, telemetry, apiKey);
    const extra = call?.attributes;
    if (extra !== undefined) for (const key in extra) put(attributes, key, extra[key]);
    this.span = telemetry.tracer.startSpan(
      `${operation} ${model}`,
      { kind: SPAN_KIND_CLIENT, attributes },
      telemetry.parent(call?.parent),
    );
  }

  /** A retry is about to wait: recorded as a `plumb.retry` span event with its cause. */
  readonly retry = (info: RetryInfo): void => {
    const error = info.error;
    const status = (error as { status?: unknown })?.status;
    this.span.addEvent(
      'plumb.retry',
      clean({
        'plumb.retry.attempt': info.attempt,
        'plumb.retry.delay_ms': Math.round(info.delayMs),
        'error.type': errorType(error),
        'http.response.status_code': typeof status === 'number' ? status : undefined,
        'exception.message':
          error instanceof Error ? this.#telemetry.redact(error.message, this.#apiKey) : undefined,
      }),
    );
  };

  /** Ends the span (once) and records the request's metrics. */
  end(outcome: ChatOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    const { completion, timing, error, requestId } = outcome;
    const span = this.span;
    const telemetry = this.#telemetry;
    const attributes: Attributes = {};
    put(attributes, 'plumb.request.id', requestId);
    const responseModel = completion?.model || undefined;
    if (completion) {
      put(attributes, 'gen_ai.response.id', completion.id || undefined);
      put(attributes, 'gen_ai.response.model', responseModel);
      const reasons: string[] = [];
      for (const choice of completion.choices ?? []) {
        const reason = choice?.finish_reason;
        if (typeof reason === 'string') reasons.push(reason);
      }
      if (reasons.length > 0) attributes['gen_ai.response.finish_reasons'] = reasons;
      if (telemetry.recordContent && completion.choices) {
        const output: ContentMessage[] = completion.choices.map((choice) => {
          const message = choice?.message;
          const out: ContentMessage = {
            role: 'assistant',
            parts:
              message === undefined && typeof choice?.text === 'string'
                ? [{ type: 'text', content: choice.text }]
                : assistantParts(message?.content, message?.reasoning_content, message?.tool_calls),
          };
          if (choice?.finish_reason) out.finish_reason = choice.finish_reason;
          return out;
        });
        attributes['gen_ai.output.messages'] = telemetry.content(output, this.#apiKey);
      }
    }
    const usage = completion?.usage ?? undefined;
    const at = new Date();
    if (usage) Object.assign(attributes, usageAttributes(usage, this.#model, at));
    if (timing) {
      attributes['plumb.request.attempts'] = timing.attempts;
      attributes['plumb.request.retries'] = Math.max(0, timing.attempts - 1);
      attributes['plumb.request.queue_ms'] = timing.queueMs;
      attributes['plumb.request.slot_wait_ms'] = timing.slotWaitMs;
      attributes['plumb.request.headers_ms'] = timing.headersMs;
      if (timing.firstChunkMs > 0) {
        attributes['plumb.request.time_to_first_chunk_ms'] = timing.firstChunkMs;
        attributes['gen_ai.response.time_to_first_chunk'] = timing.firstChunkMs / 1000;
      }
    }
    if (error !== undefined) {
      const type = errorType(error);
      attributes['error.type'] = type;
      const message = error instanceof Error ? telemetry.redact(error.message, this.#apiKey) : undefined;
      span.addEvent('exception', clean({ 'exception.type': type, 'exception.message': message }));
      span.setStatus(message === undefined ? { code: STATUS_ERROR } : { code: STATUS_ERROR, message });
    }
    span.setAttributes(attributes);
    span.end();
    if (telemetry.metrics) {
      const metricAttributes: Attributes = {
        'gen_ai.operation.name': this.#operation,
        'gen_ai.provider.name': PROVIDER,
        'gen_ai.request.model': this.#model,
      };
      const where = this.#server;
      if (where !== undefined) {
        metricAttributes['server.address'] = where.address;
        metricAttributes['server.port'] = where.port;
      }
      put(metricAttributes, 'gen_ai.response.model', responseModel);
      put(metricAttributes, 'error.type', attributes['error.type']);
      this.#record(usage, metricAttributes, at);
    }
  }

  #record(usage: Usage | undefined, clean_: Attributes, at: Date): void {
    const instruments = this.#telemetry.instruments;
    instruments.duration.record((performance.now() - this.#start) / 1000, clean_);
    if (usage === undefined) return;
    instruments.tokenUsage.record(usage.prompt_tokens ?? 0, { ...clean_, 'gen_ai.token.type': 'input' });
    instruments.tokenUsage.record(usage.completion_tokens ?? 0, { ...clean_, 'gen_ai.token.type': 'output' });
    instruments.cacheTokens.add(cacheHitTokens(usage), { ...clean_, 'plumb.cache.result': 'hit' });
    instruments.cacheTokens.add(cacheMissTokens(usage), { ...clean_, 'plumb.cache.result': 'miss' });
    if (isPriced(this.#model)) {
      for (const currency of ['USD', 'CNY'] as const) {
        const cost = costOf(usage, this.#model, { at, currency });
        instruments.cost.add(cost.total, {
          ...clean_,
          'plumb.cost.currency': currency,
          'plumb.cost.price_period': cost.peak ? 'peak' : 'off_peak',
        });
      }
    }
  }
}

/**
 * The conventions' usage attributes plus DeepSeek's: cache misses, cache-hit ratio and the cost
 * in both currencies with the price period (peak or off-peak) it was billed at.
 */
export function usageAttributes(usage: Usage, model: string, at: Date): Attributes {
  const attributes: Attributes = {
    'gen_ai.usage.input_tokens': usage.prompt_tokens ?? 0,
    'gen_ai.usage.output_tokens': usage.completion_tokens ?? 0,
    'gen_ai.usage.cache_read.input_tokens': cacheHitTokens(usage),
    'gen_ai.usage.reasoning.output_tokens': usage.completion_tokens_details?.reasoning_tokens ?? 0,
    'plumb.usage.cache_miss.input_tokens': cacheMissTokens(usage),
    'plumb.cache.hit_ratio': cacheHitRatio(usage),
  };
  if (isPriced(model)) {
    const usd = costOf(usage, model, { at, currency: 'USD' });
    const cny = costOf(usage, model, { at, currency: 'CNY' });
    attributes['plumb.cost.usd'] = usd.total;
    attributes['plumb.cost.cny'] = cny.total;
    attributes['plumb.cost.price_period'] = usd.peak ? 'peak' : 'off_peak';
    attributes['plumb.cost.priced_as'] = usd.pricedAs;
  }
  return attributes;
}

/** Attributes without undefined values (the API drops them anyway; the SDK warns on some). */
export function clean(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}
