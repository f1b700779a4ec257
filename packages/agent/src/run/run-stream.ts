import { AgentError } from '../errors.js';
import {
  toUIMessageStream,
  toUIMessageStreamResponse,
  type UIMessageChunk,
  type UIMessageStreamOptions,
  type UIMessageStreamResponseOptions,
} from '../web/ui-message-stream.js';
import type { AgentEvent } from './events.js';
import type { AgentResult } from './result.js';

type Waiter<T> = {
  resolve: (result: IteratorResult<T>) => void;
  reject: (error: unknown) => void;
};

/**
 * A running agent, as returned by `agent.stream()`: an `AsyncIterable` of typed events plus the
 * final `result`. The run starts immediately; events are buffered until read.
 *
 * - Iterable once (events or `textStream()`, not both). A second iteration throws an `AgentError`.
 * - Breaking out of `for await` aborts the run (the HTTP request and running tools are
 *   cancelled); `result` then resolves with `finishReason: 'aborted'`.
 * - A failed run makes the next `next()` throw, and `result` rejects with the same error. A
 *   caller who only iterates never sees an unhandled rejection from `result`.
 *
 * @example
 * const run = agent.stream('Weather in Paris?');
 * for await (const event of run) if (event.type === 'text-delta') process.stdout.write(event.text);
 * const { usage } = await run.result;
 */
export class AgentStream<TOutput = undefined> implements AsyncIterable<AgentEvent<TOutput>> {
  /** The run's outcome: resolves like `agent.run()` (also for aborts), rejects like it. */
  readonly result: Promise<AgentResult<TOutput>>;
  #buffer: AgentEvent<TOutput>[] = [];
  #head = 0;
  #waiter: Waiter<AgentEvent<TOutput>> | undefined;
  #finished = false;
  #failure: { error: unknown } | undefined;
  #consumed = false;
  #closed = false;
  readonly #stop: (reason: unknown) => void;

  /** @internal Built by `Agent.stream()`. */
  constructor(
    start: (emit: (event: AgentEvent<TOutput>) => void) => Promise<AgentResult<TOutput>>,
    stop: (reason: unknown) => void,
  ) {
    this.#stop = stop;
    this.result = start((event) => this.#push(event)).then(
      (result) => {
        this.#finish(undefined);
        return result;
      },
      (error: unknown) => {
        this.#push({ type: 'error', error });
        this.#finish({ error });
        throw error;
      },
    );
    this.result.catch(() => {});
  }

  /**
   * The answer text as it streams (`text-delta` events only), like the chat stream's
   * `textStream()`. Iterating it uses up the stream like iterating the events (breaking out aborts
   * the run); calling it alone reads nothing.
   */
  async *textStream(): AsyncGenerator<string, void, undefined> {
    for await (const event of this) if (event.type === 'text-delta') yield event.text;
  }

  /**
   * The run in the AI SDK's UI message stream protocol: text, reasoning, tool input and output,
   * approval requests, errors and `data-plumb-usage` parts. Uses up the stream like iterating it;
   * cancelling the returned stream aborts the run.
   */
  toUIMessageStream(options?: UIMessageStreamOptions): ReadableStream<UIMessageChunk> {
    return toUIMessageStream(this as AsyncIterable<AgentEvent<unknown>>, options);
  }

  /** `toUIMessageStream()` as a server-sent-events `Response`, what `useChat` reads. */
  toUIMessageStreamResponse(options?: UIMessageStreamResponseOptions): Response {
    return toUIMessageStreamResponse(this as AsyncIterable<AgentEvent<unknown>>, options);
  }

  [Symbol.asyncIterator](): AsyncIterator<AgentEvent<TOutput>> {
    if (this.#consumed) {
      throw new AgentError(
        'This agent stream was already iterated: read it once (events or textStream()), then use `await stream.result`.',
      );
    }
    this.#consumed = true;
    return {
      next: () => this.#next(),
      return: async () => {
        this.#close();
        return { done: true, value: undefined };
      },
    };
  }

  #push(event: AgentEvent<TOutput>): void {
    if (this.#closed) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ done: false, value: event });
    } else {
      this.#buffer.push(event);
    }
  }

  #finish(failure: { error: unknown } | undefined): void {
    this.#finished = true;
    this.#failure = failure;
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    if (failure === undefined) waiter.resolve({ done: true, value: undefined });
    else {
      this.#failure = undefined;
      waiter.reject(failure.error);
    }
  }

  #next(): Promise<IteratorResult<AgentEvent<TOutput>>> {
    if (this.#head < this.#buffer.length) {
      const value = this.#buffer[this.#head] as AgentEvent<TOutput>;
      this.#head++;
      if (this.#head === this.#buffer.length) {
        this.#buffer = [];
        this.#head = 0;
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#finished) {
      const failure = this.#failure;
      if (failure === undefined) return Promise.resolve({ done: true, value: undefined });
      this.#failure = undefined;
      return Promise.reject(failure.error);
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #close(): void {
    this.#closed = true;
    this.#buffer = [];
    this.#head = 0;
    if (!this.#finished) this.#stop(new AgentError('The stream consumer stopped reading (break/return).'));
    this.#finished = true;
    this.#failure = undefined;
  }
}
