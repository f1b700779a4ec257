import type { Cost, Usage } from '@plumb/core';
import type { AgentEvent } from '../run/events.js';
import type { AgentFinishReason, AgentStep } from '../run/result.js';
import type { StateSecret } from '../state/state-signing.js';

/**
 * One chunk of the AI SDK's UI message stream protocol (v1), the part of it plumb writes. The
 * AI SDK's `useChat`, `readUIMessageStream` and `DefaultChatTransport` read it unchanged.
 */
export type UIMessageChunk =
  | { type: 'start'; messageId?: string }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'text-start' | 'text-end' | 'reasoning-start' | 'reasoning-end'; id: string }
  | { type: 'text-delta' | 'reasoning-delta'; id: string; delta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-approval-request'; approvalId: string; toolCallId: string }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string }
  | { type: 'tool-output-denied'; toolCallId: string }
  | { type: 'data-plumb-usage'; id: string; data: UsageData }
  | { type: 'data-plumb-state'; id: string; data: { state: string } }
  | { type: 'error'; errorText: string }
  | { type: 'abort'; reason?: string }
  | { type: 'finish'; finishReason: UIFinishReason };

/** The AI SDK's finish reasons. */
export type UIFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

/** The `data-plumb-usage` part: a step's (id `step-<n>`) or the whole run's (id `run`) usage. */
export interface UsageData {
  /** The step index, or undefined for the run's total. */
  stepIndex?: number;
  usage: Usage;
  cost: Cost | undefined;
  /** `prompt_cache_hit_tokens / prompt_tokens` (0 when unknown). */
  cacheHitRatio: number;
  /** The run's finish reason (`run` part only). */
  finishReason?: AgentFinishReason;
}

/** Options of `toUIMessageStream()` and `toUIMessageStreamResponse()`. */
export interface UIMessageStreamOptions {
  /** The assistant message id sent in the `start` chunk (the AI SDK makes one when absent). */
  messageId?: string | undefined;
  /**
   * Signs the state of an interrupted run into a `data-plumb-state` part (HMAC-SHA-256, the same as
   * `state.toSignedJSON({ secret })`), so that the chat handler can resume it when the browser
   * sends the approvals back. Without it, an interrupted run sends no state.
   */
  secret?: StateSecret | undefined;
  /**
   * The text of the `error` chunk for a failed run. Default: `"The agent run failed (<error name>)."`:
   * messages can hold details a browser should not see (paths, upstream replies).
   */
  onError?: ((error: unknown) => string) | undefined;
}

/** Headers of a UI message stream response (the AI SDK's `UI_MESSAGE_STREAM_HEADERS`). */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
};

const FINISH: Partial<Record<AgentFinishReason, UIFinishReason>> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  interrupted: 'tool-calls',
  // The run stopped after a step whose tool calls ran (the AI SDK reports that step's reason).
  max_steps: 'tool-calls',
  stopped: 'tool-calls',
  error: 'error',
};

function defaultErrorText(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  return `The agent run failed (${name}).`;
}

/** A tool's result as JSON data: the value when it survives JSON, else the text the model got. */
function jsonOutput(result: unknown, content: string): unknown {
  if (result === undefined) return content;
  try {
    const text = JSON.stringify(result);
    return text === undefined ? content : (JSON.parse(text) as unknown);
  } catch {
    return content;
  }
}

function stepUsage(step: AgentStep): UsageData {
  return { stepIndex: step.index, usage: step.usage, cost: step.cost, cacheHitRatio: step.cacheHitRatio };
}

/**
 * Turns agent events into UI message chunks. Pure and synchronous except for signing, so it can
 * be tested without a stream: feed events to `push`, then call `end`.
 */
export class UIChunkWriter {
  #open: { kind: 'text' | 'reasoning'; id: string } | undefined;
  readonly #options: UIMessageStreamOptions;

  constructor(options: UIMessageStreamOptions = {}) {
    this.#options = options;
  }

  start(): UIMessageChunk[] {
    const { messageId } = this.#options;
    return [messageId === undefined ? { type: 'start' } : { type: 'start', messageId }];
  }

  #close(out: UIMessageChunk[]): void {
    const open = this.#open;
    if (open === undefined) return;
    out.push({ type: open.kind === 'text' ? 'text-end' : 'reasoning-end', id: open.id });
    this.#open = undefined;
  }

  #delta(out: UIMessageChunk[], kind: 'text' | 'reasoning', stepIndex: number, delta: string): void {
    const id = `${kind}-${stepIndex}`;
    if (this.#open?.id !== id) {
      this.#close(out);
      this.#open = { kind, id };
      out.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id });
    }
    out.push({ type: kind === 'text' ? 'text-delta' : 'reasoning-delta', id, delta });
  }

  /** The chunks for one event (none for events the protocol has no part for). */
  async push(event: AgentEvent<unknown>): Promise<UIMessageChunk[]> {
    const out: UIMessageChunk[] = [];
    switch (event.type) {
      case 'step-start':
        out.push({ type: 'start-step' });
        break;
      case 'reasoning-delta':
        this.#delta(out, 'reasoning', event.stepIndex, event.text);
        break;
      case 'text-delta':
        this.#delta(out, 'text', event.stepIndex, event.text);
        break;
      case 'tool-call':
        this.#close(out);
        out.push({
          type: 'tool-input-available',
          toolCallId: event.id,
          toolName: event.name,
          input: event.args === undefined ? event.rawArguments : event.args,
        });
        break;
      case 'tool-approval-request':
        out.push({ type: 'tool-approval-request', approvalId: event.id, toolCallId: event.id });
        break;
      case 'tool-result': {
        const call = event.toolCall;
        if (call.status === 'ok') {
          out.push({
            type: 'tool-output-available',
            toolCallId: event.id,
            output: jsonOutput(call.result, call.content),
          });
        } else if (call.status === 'rejected') {
          out.push({ type: 'tool-output-denied', toolCallId: event.id });
        } else if (call.status !== 'pending') {
          out.push({
            type: 'tool-output-error',
            toolCallId: event.id,
            errorText: call.error ?? call.content,
          });
        }
        break;
      }
      case 'step-end':
        this.#close(out);
        out.push({ type: 'data-plumb-usage', id: `step-${event.stepIndex}`, data: stepUsage(event.step) });
        out.push({ type: 'finish-step' });
        break;
      case 'error':
        this.#close(out);
        out.push({ type: 'error', errorText: (this.#options.onError ?? defaultErrorText)(event.error) });
        out.push({ type: 'finish', finishReason: 'error' });
        break;
      case 'end': {
        this.#close(out);
        const { result } = event;
        out.push({
          type: 'data-plumb-usage',
          id: 'run',
          data: {
            usage: result.usage,
            cost: result.cost,
            cacheHitRatio: result.cacheHitRatio,
            finishReason: result.finishReason,
          },
        });
        const secret = this.#options.secret;
        if (result.state !== undefined && secret !== undefined) {
          out.push({
            type: 'data-plumb-state',
            id: 'state',
            data: { state: await result.state.toSignedJSON({ secret }) },
          });
        }
        if (result.finishReason === 'aborted') out.push({ type: 'abort', reason: 'aborted' });
        else out.push({ type: 'finish', finishReason: FINISH[result.finishReason] ?? 'other' });
        break;
      }
      default:
        break;
    }
    return out;
  }
}

/**
 * An agent stream as a `ReadableStream` of UI message chunks. Cancelling the stream (a client
 * that went away) stops reading the agent stream, which aborts the run.
 */
export function toUIMessageStream(
  events: AsyncIterable<AgentEvent<unknown>>,
  options: UIMessageStreamOptions = {},
): ReadableStream<UIMessageChunk> {
  const writer = new UIChunkWriter(options);
  let iterator: AsyncIterator<AgentEvent<unknown>> | undefined;
  return new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of writer.start()) controller.enqueue(chunk);
    },
    async pull(controller) {
      iterator ??= events[Symbol.asyncIterator]();
      for (;;) {
        let item: IteratorResult<AgentEvent<unknown>>;
        try {
          item = await iterator.next();
        } catch {
          // The `error` event came first and was written; the rejection repeats it.
          controller.close();
          return;
        }
        if (item.done) {
          controller.close();
          return;
        }
        const chunks = await writer.push(item.value);
        for (const chunk of chunks) controller.enqueue(chunk);
        if (chunks.length > 0) return;
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}

/** UI message chunks as server-sent events (`data: <json>`), ended by `data: [DONE]`. */
export function toSSE(chunks: ReadableStream<UIMessageChunk>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return chunks.pipeThrough(
    new TransformStream<UIMessageChunk, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`));
      },
      flush(controller) {
        controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      },
    }),
  );
}

/** Options of `toUIMessageStreamResponse()`. */
export interface UIMessageStreamResponseOptions extends UIMessageStreamOptions {
  status?: number | undefined;
  /** Extra headers (the stream's own headers win). */
  headers?: Record<string, string> | undefined;
}

/** An agent stream as a `Response` in the UI message stream protocol (what `useChat` reads). */
export function toUIMessageStreamResponse(
  events: AsyncIterable<AgentEvent<unknown>>,
  options: UIMessageStreamResponseOptions = {},
): Response {
  return new Response(toSSE(toUIMessageStream(events, options)), {
    status: options.status ?? 200,
    headers: { ...options.headers, ...UI_MESSAGE_STREAM_HEADERS },
  });
}
