/**
 * The `chat {model}` span of one chat completion request (or the `text_completion {model}` span of
 * a FIM completion), with the GenAI conventions' attributes and DeepSeek's own as `plumb.*`
 * attributes (cost, cache, queue and slot waits, retries, trace id), plus the request's metrics.
 */
import { type Cost, costOf } from '../cost/cost.js';
import { pricesFor } from '../cost/pricing.js';
import { cacheHitRatio, cacheHitTokens, cacheMissTokens } from '../cost/usage.js';
import { APIError, APITimeoutError } from '../errors/errors.js';
import type { RetryInfo } from '../internal/http/retry.js';
import type { RequestTiming } from '../internal/http/timing.js';
import type {
  ChatCompletionCreateParamsBase,
  CompletionCreateParamsBase,
  Usage,
} from '../wire/wire-types.js';
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
  const thinking = params.thinking?.type;
  if (thinking != null) attributes['plumb.request.thinking'] = thinking;
  const effort = params.reasoning_effort;
  if (effort != null) attributes['plumb.request.reasoning_effort'] = effort;
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

/** A request's cost in both currencies (the span's `plumb.cost.*` and the cost metric). */
interface Costs {
  usd: Cost;
  cny: Cost;
}

/**
 * The metric attribute sets of one kind of request (operation, model, server, response model,
 * error type): built once and reused, since a client sends few kinds (the SDK keeps, never changes,
 * what it is given).
 */
interface MetricAttributes {
  base: Attributes;
  input: Attributes;
  output: Attributes;
  hit: Attributes;
  miss: Attributes;
  /** By currency and price period. */
  cost: Record<'USD' | 'CNY', Record<'peak' | 'off_peak', Attributes>>;
}

const metricSets = new Map<string, MetricAttributes>();

/** What a request's span and its metrics share: operation, provider, model and server. */
function requestAttributes(
  operation: SpanOperation,
  model: string,
  where: { address: string; port: number } | undefined,
): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': PROVIDER,
    'gen_ai.request.model': model,
  };
  if (where !== undefined) {
    attributes['server.address'] = where.address;
    attributes['server.port'] = where.port;
  }
  return attributes;
}

function metricAttributes(
  operation: SpanOperation,
  model: string,
  where: { address: string; port: number } | undefined,
  responseModel: string | undefined,
  errorType: string | undefined,
): MetricAttributes {
  const key = `${operation}\n${model}\n${where?.address}\n${where?.port}\n${responseModel}\n${errorType}`;
  let found = metricSets.get(key);
  if (found !== undefined) return found;
  const base = requestAttributes(operation, model, where);
  put(base, 'gen_ai.response.model', responseModel);
  put(base, 'error.type', errorType);
  // Frozen: shared by every request of this kind.
  const set = (more: Attributes): Attributes => Object.freeze({ ...base, ...more });
  const costSet = (currency: 'USD' | 'CNY', period: 'peak' | 'off_peak'): Attributes =>
    set({ 'plumb.cost.currency': currency, 'plumb.cost.price_period': period });
  found = {
    base: set({}),
    input: set({ 'gen_ai.token.type': 'input' }),
    output: set({ 'gen_ai.token.type': 'output' }),
    hit: set({ 'plumb.cache.result': 'hit' }),
    miss: set({ 'plumb.cache.result': 'miss' }),
    cost: {
      USD: { peak: costSet('USD', 'peak'), off_peak: costSet('USD', 'off_peak') },
      CNY: { peak: costSet('CNY', 'peak'), off_peak: costSet('CNY', 'off_peak') },
    },
  };
  if (metricSets.size >= 256) metricSets.clear();
  metricSets.set(key, found);
  return found;
}

/** One traced chat (or FIM) request. */
export class ChatSpan {
  readonly span: OtelSpan;
  readonly #telemetry: Telemetry;
  readonly #operation: SpanOperation;
  readonly #model: string;
  readonly #apiKey: string | undefined;
  readonly #server: { address: string; port: number } | undefined;
  /** When the request started (for the duration metric; 0 without metrics). */
  readonly #start: number;
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
    this.#start = telemetry.metrics ? performance.now() : 0;
    const { operation, params } = request;
    this.#operation = operation;
    const model = typeof params.model === 'string' ? params.model : String(params.model);
    this.#model = model;
    const where = server(url);
    this.#server = where;
    // One object, filled in place: the SDK copies what it keeps.
    const attributes = requestAttributes(operation, model, where);
    attributes['gen_ai.request.stream'] = stream;
    // Inline checks, not a call per setting: most requests set none of them.
    const { max_tokens, temperature, top_p, frequency_penalty, presence_penalty, stop } = params;
    if (max_tokens != null) attributes['gen_ai.request.max_tokens'] = max_tokens;
    if (temperature != null) attributes['gen_ai.request.temperature'] = temperature;
    if (top_p != null) attributes['gen_ai.request.top_p'] = top_p;
    if (frequency_penalty != null) attributes['gen_ai.request.frequency_penalty'] = frequency_penalty;
    if (presence_penalty != null) attributes['gen_ai.request.presence_penalty'] = presence_penalty;
    if (stop != null) attributes['gen_ai.request.stop_sequences'] = typeof stop === 'string' ? [stop] : stop;
    if (request.operation === 'chat') chatAttributes(attributes, request.params, telemetry, apiKey);
    else completionAttributes(attributes, request.params, telemetry, apiKey);
    const extra = call?.attributes;
    if (extra !== undefined) {
      for (const key in extra) {
        const value = extra[key];
        if (value != null) attributes[key] = value;
      }
    }
    this.span = telemetry.tracer.startSpan(
      `${operation} ${model}`,
      { kind: SPAN_KIND_CLIENT, attributes },
      telemetry.parent(call?.parent),
    );
  }

  /** A retry is about to wait: recorded as a `plumb.retry` span event with its cause. */
  retry(info: RetryInfo): void {
    if (!this.span.isRecording()) return;
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
  }

  /**
   * Ends the span (once) and records the request's metrics. A span that is not recording (sampled
   * out) gets no attributes built: only the metrics are recorded.
   */
  end(outcome: ChatOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    const { completion, error } = outcome;
    const span = this.span;
    const telemetry = this.#telemetry;
    const usage = completion?.usage ?? undefined;
    const responseModel = completion?.model || undefined;
    const type = error === undefined ? undefined : errorType(error);
    // Priced once, at the end: the span's attributes and the cost metric share it.
    const at = usage ? new Date() : undefined;
    let costs: Costs | undefined;
    if (span.isRecording()) {
      const attributes: Attributes = {};
      costs = this.#attributes(attributes, outcome, responseModel, at);
      if (type !== undefined) {
        attributes['error.type'] = type;
        const message = error instanceof Error ? telemetry.redact(error.message, this.#apiKey) : undefined;
        span.addEvent('exception', clean({ 'exception.type': type, 'exception.message': message }));
        span.setStatus(message === undefined ? { code: STATUS_ERROR } : { code: STATUS_ERROR, message });
      }
      span.setAttributes(attributes);
    }
    span.end();
    if (telemetry.metrics) {
      if (usage && at && costs === undefined) costs = costsOf(usage, this.#model, at);
      this.#record(
        usage,
        metricAttributes(this.#operation, this.#model, this.#server, responseModel, type),
        costs,
      );
    }
  }

  /** The span's attributes at its end (all but the error's); returns the request's costs. */
  #attributes(
    attributes: Attributes,
    outcome: ChatOutcome,
    responseModel: string | undefined,
    at: Date | undefined,
  ): Costs | undefined {
    const { completion, timing, requestId } = outcome;
    if (requestId != null) attributes['plumb.request.id'] = requestId;
    if (completion) {
      if (completion.id) attributes['gen_ai.response.id'] = completion.id;
      if (responseModel !== undefined) attributes['gen_ai.response.model'] = responseModel;
      const choices = completion.choices;
      if (choices !== undefined) {
        const reasons: string[] = [];
        for (const choice of choices) {
          const reason = choice?.finish_reason;
          if (typeof reason === 'string') reasons.push(reason);
        }
        if (reasons.length > 0) attributes['gen_ai.response.finish_reasons'] = reasons;
        if (this.#telemetry.recordContent) {
          attributes['gen_ai.output.messages'] = this.#telemetry.content(
            outputMessages(choices),
            this.#apiKey,
          );
        }
      }
    }
    const usage = completion?.usage ?? undefined;
    const costs = usage && at ? putUsage(attributes, usage, this.#model, at) : undefined;
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
    return costs;
  }

  #record(usage: Usage | undefined, sets: MetricAttributes, costs: Costs | undefined): void {
    const instruments = this.#telemetry.instruments;
    instruments.duration.record((performance.now() - this.#start) / 1000, sets.base);
    if (usage === undefined) return;
    instruments.tokenUsage.record(usage.prompt_tokens ?? 0, sets.input);
    instruments.tokenUsage.record(usage.completion_tokens ?? 0, sets.output);
    instruments.cacheTokens.add(cacheHitTokens(usage), sets.hit);
    instruments.cacheTokens.add(cacheMissTokens(usage), sets.miss);
    if (costs !== undefined) {
      for (const cost of [costs.usd, costs.cny]) {
        instruments.cost.add(cost.total, sets.cost[cost.currency][cost.peak ? 'peak' : 'off_peak']);
      }
    }
  }
}

/** The conventions' output messages of a completion's choices (only with `recordContent`). */
function outputMessages(choices: NonNullable<CompletionLike['choices']>): ContentMessage[] {
  return choices.map((choice) => {
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
}

/** The cost of `usage` in both currencies, or undefined for a model without a price. */
function costsOf(usage: Usage, model: string, at: Date): Costs | undefined {
  if (!isPriced(model)) return undefined;
  return {
    usd: costOf(usage, model, { at, currency: 'USD' }),
    cny: costOf(usage, model, { at, currency: 'CNY' }),
  };
}

/**
 * Writes the conventions' usage attributes plus DeepSeek's into `attributes` (see
 * `usageAttributes`); returns the costs it priced.
 */
function putUsage(attributes: Attributes, usage: Usage, model: string, at: Date): Costs | undefined {
  attributes['gen_ai.usage.input_tokens'] = usage.prompt_tokens ?? 0;
  attributes['gen_ai.usage.output_tokens'] = usage.completion_tokens ?? 0;
  attributes['gen_ai.usage.cache_read.input_tokens'] = cacheHitTokens(usage);
  attributes['gen_ai.usage.reasoning.output_tokens'] = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  attributes['plumb.usage.cache_miss.input_tokens'] = cacheMissTokens(usage);
  attributes['plumb.cache.hit_ratio'] = cacheHitRatio(usage);
  const costs = costsOf(usage, model, at);
  if (costs !== undefined) {
    attributes['plumb.cost.usd'] = costs.usd.total;
    attributes['plumb.cost.cny'] = costs.cny.total;
    attributes['plumb.cost.price_period'] = costs.usd.peak ? 'peak' : 'off_peak';
    attributes['plumb.cost.priced_as'] = costs.usd.pricedAs;
  }
  return costs;
}

/**
 * The conventions' usage attributes plus DeepSeek's: cache misses, cache-hit ratio and the cost
 * in both currencies with the price period (peak or off-peak) it was billed at.
 */
export function usageAttributes(usage: Usage, model: string, at: Date): Attributes {
  const attributes: Attributes = {};
  putUsage(attributes, usage, model, at);
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
