/**
 * The base of every streamed answer: an AsyncIterable of wire chunks that can be consumed once,
 * assembles the final result as it goes, aborts the request when the consumer breaks out, and turns
 * a stream that stops early into a StreamInterruptedError holding what arrived.
 */

import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  DeepSeekError,
  ResponseParseError,
  ResponseTooLargeError,
  StreamInterruptedError,
  type StreamInterruptReason,
} from '../errors/errors.js';
import type { AbortLatch } from '../internal/abort-latch.js';
import type { StreamAssembler } from '../internal/assemble/assemble.js';
import { type ErrorContext, makeAPIError, parsedFromErrorObject } from '../internal/http/error-response.js';
import type { EventReader } from '../internal/http/event-reader.js';
import type { ServerSentEvent } from '../internal/http/sse.js';
import type { RequestTiming, TimingMarks } from '../internal/http/timing.js';
import { redactStart } from '../internal/redact.js';

/** How a stream gets its events and reports its end; built by the client. */
export interface StreamSource {
  /** Opens the stream (with retries) up to its first event. */
  open: () => Promise<EventReader>;
  marks: TimingMarks;
  /** Aborting it aborts the request (stream.abort(), the caller's signal). */
  latch: AbortLatch;
  context: ErrorContext;
  /** Called once when the stream ends, with the error if it failed (`result`: the assembled result, when it completed). */
  onEnd?:
    | ((error: unknown, details: { usage: unknown; requestId: string | undefined; result?: unknown }) => void)
    | undefined;
}

const FINISHED: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** The stream's iterator, which final() can also drain without a promise per chunk. */
interface ChunkIterator<TChunk> extends AsyncIterator<TChunk> {
  /** Reads (and assembles) everything left; rejects as iterating to the end would. */
  drain(): Promise<void>;
}

/**
 * Streams that started and were dropped unfinished: aborting their latch ends the request.
 * (A runtime without FinalizationRegistry just skips this backstop.)
 */
const abandoned =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<AbortLatch>((latch) =>
        latch.abort(new APIUserAbortError('The stream was dropped without being read to its end.')),
      )
    : undefined;

const CLOSED_EARLY =
  'The stream was closed before it finished (the loop broke out, or abort() was called), so there is no final result. ' +
  'Call finalCompletion() instead of breaking out when you need it.';

/** A consumable-once stream of chunks with an assembled final result. */
export class ChunkStream<TChunk, TResult, TSnapshot> implements AsyncIterable<TChunk> {
  readonly #source: StreamSource;
  readonly #assembler: StreamAssembler<TChunk, TResult, TSnapshot>;
  #opening: Promise<EventReader> | undefined;
  #reader: EventReader | undefined;
  #generator: ChunkIterator<TChunk> | undefined;
  #iteratorTaken = false;
  #result: TResult | undefined;
  #failure: unknown;
  #settled = false;
  /** Whether the stream is in `abandoned` (see #open). */
  #registered = false;

  constructor(source: StreamSource, assembler: StreamAssembler<TChunk, TResult, TSnapshot>) {
    this.#source = source;
    this.#assembler = assembler;
  }

  /**
   * Sends the request, once: on the first read (iteration, finalCompletion(), textStream(),
   * toReadableStream()), not when the stream is created. A stream that is never read sends nothing
   * and holds no `maxConcurrency` slot, so dropping it leaks nothing.
   *
   * `draining`: opened by final(), which reads to the end without handing control back: its
   * pending reads keep the stream reachable until it settles, so it cannot be dropped unfinished
   * and skips the registration below (a cost on every agent step).
   */
  #open(draining: boolean): Promise<EventReader> {
    if (this.#opening === undefined) {
      const latch = this.#source.latch;
      this.#opening = latch.aborted
        ? Promise.reject(new APIUserAbortError(undefined, latch.reason))
        : this.#source.open();
      // A stream dropped after it started, without break or abort(): abort it once collected, so
      // its connection and slot are given back (best effort: it happens only when a GC runs).
      if (!draining && abandoned !== undefined) {
        abandoned.register(this, latch, latch);
        this.#registered = true;
      }
    }
    return this.#opening;
  }

  /** DeepSeek's trace id (`x-ds-trace-id`), once the response headers arrived. */
  get requestId(): string | undefined {
    return this.#reader?.owner.requestId;
  }

  /** Response headers, once they arrived. */
  get headers(): Headers | undefined {
    return this.#reader?.owner.headers;
  }

  /** Timings so far: queue time, time to the first chunk, total once ended. */
  get timing(): RequestTiming {
    return this.#source.marks.toJSON();
  }

  /** Chunks received so far. */
  get chunks(): number {
    return this.#assembler.chunks;
  }

  /** What has been assembled so far (finish_reason null until it arrives). */
  snapshot(): TSnapshot {
    return this.#assembler.snapshot();
  }

  /** Aborts the request; iteration and finalCompletion() then reject with APIUserAbortError. */
  abort(reason?: unknown): void {
    this.#source.latch.abort(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<TChunk> {
    if (this.#iteratorTaken || this.#generator !== undefined) {
      throw new DeepSeekError(
        'This stream was already consumed (a stream can be iterated once, and finalCompletion() consumes it too). ' +
          'Keep the chunks you need while iterating, or call finalCompletion() for the assembled result.',
      );
    }
    this.#iteratorTaken = true;
    return this.#run();
  }

  /** Reads whatever is left and resolves with the assembled result (rejects if the stream failed). */
  protected async final(): Promise<TResult> {
    if (!this.#settled) await this.#run().drain();
    if (this.#result !== undefined) return this.#result;
    throw this.#failure ?? new APIUserAbortError(CLOSED_EARLY);
  }

  #run(): ChunkIterator<TChunk> {
    this.#generator ??= this.#iterate();
    return this.#generator;
  }

  // A hand-written iterator rather than an async generator: chunks are served from the current
  // batch of events with an already-resolved promise, without the extra awaits an async
  // generator's `yield` costs per chunk (hundreds of thousands of chunks in a long answer).
  #iterate(): ChunkIterator<TChunk> {
    let batch: ServerSentEvent[] | undefined;
    let index = 0;
    let closed = false;

    // The next chunk of the current batch, DONE at `[DONE]`, or undefined when the batch is used up.
    const take = (): IteratorResult<TChunk> | undefined => {
      if (batch === undefined || index >= batch.length) return undefined;
      const data = batch[index++]!.data;
      if (data === '[DONE]') return this.#complete();
      const chunk = this.#parse(data);
      this.#assembler.add(chunk);
      return { value: chunk, done: false };
    };
    const fail = (error: unknown): never => {
      closed = true;
      const mapped = this.#mapError(error);
      this.#reader?.cancel();
      this.#end(mapped);
      throw mapped;
    };
    const read = async (): Promise<IteratorResult<TChunk>> => {
      try {
        this.#reader ??= await this.#open(false);
        for (;;) {
          const result = take();
          if (result !== undefined) return result;
          const next = await this.#reader.next();
          if (next === undefined) return this.#complete();
          batch = next;
          index = 0;
        }
      } catch (error) {
        return fail(error);
      }
    };

    // What final() does: every chunk, without a promise per chunk (a batch is assembled in one
    // go, a promise only per read), as a loop over next() would, errors mapped the same way.
    const drain = async (): Promise<void> => {
      if (closed || this.#settled) return;
      try {
        this.#reader ??= await this.#open(true);
        for (;;) {
          for (let result = take(); result !== undefined; result = take()) if (result.done) return;
          const next = await this.#reader.next();
          if (next === undefined) {
            this.#complete();
            return;
          }
          batch = next;
          index = 0;
        }
      } catch (error) {
        fail(error);
      }
    };

    return {
      drain,
      next: (): Promise<IteratorResult<TChunk>> => {
        if (closed || this.#settled) return Promise.resolve(FINISHED);
        if (batch !== undefined && index < batch.length) {
          try {
            const result = take();
            if (result !== undefined) return Promise.resolve(result);
          } catch (error) {
            try {
              fail(error);
            } catch (mapped) {
              return Promise.reject(mapped);
            }
          }
        }
        return read();
      },
      // The consumer broke out of its loop (or called return()): stop the request.
      return: (): Promise<IteratorResult<TChunk>> => {
        closed = true;
        if (!this.#settled) {
          const reader = this.#reader;
          reader?.cancel();
          if (reader === undefined) this.#source.latch.abort();
          this.#end(new APIUserAbortError(CLOSED_EARLY));
        }
        return Promise.resolve(FINISHED);
      },
    };
  }

  /** The body ended (or `[DONE]` came): the result, or a cut stream if no finish_reason arrived. */
  #complete(): IteratorResult<TChunk> {
    if (!this.#assembler.isFinished()) throw this.#interrupted('cut', undefined);
    this.#result = this.#assembler.result();
    this.#reader?.finish();
    this.#end(undefined);
    return FINISHED;
  }

  /** One `data:` payload as a chunk; malformed JSON and in-stream errors throw. */
  #parse(data: string): TChunk {
    let chunk: TChunk & { error?: unknown };
    try {
      chunk = JSON.parse(data);
    } catch (error) {
      throw this.#interrupted(
        this.#reader?.ended ? 'cut' : 'malformed-chunk',
        new ResponseParseError(
          'A stream chunk is not valid JSON.',
          redactStart(data, this.#source.context.secrets),
          error,
        ),
      );
    }
    if (chunk === null || typeof chunk !== 'object') {
      throw this.#interrupted(
        'malformed-chunk',
        new ResponseParseError(
          'A stream chunk is not a JSON object.',
          redactStart(data, this.#source.context.secrets),
        ),
      );
    }
    if (chunk.error !== undefined) {
      throw makeAPIError(
        undefined,
        parsedFromErrorObject(chunk.error),
        this.#reader?.owner.headers,
        this.#source.context,
      );
    }
    return chunk;
  }

  #end(error: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#registered) abandoned?.unregister(this.#source.latch);
    if (error !== undefined) this.#failure = error;
    const marks = this.#source.marks;
    if (marks.endAt === 0) marks.endAt = performance.now();
    const result = this.#result;
    const usage = (result as { usage?: unknown } | undefined)?.usage;
    this.#source.onEnd?.(error, { usage, requestId: this.#reader?.owner.requestId, result });
  }

  #mapError(error: unknown): unknown {
    if (error instanceof StreamInterruptedError) return error;
    if (
      this.#assembler.chunks === 0 ||
      error instanceof APIUserAbortError ||
      !(error instanceof DeepSeekError)
    )
      return error;
    if (error instanceof APITimeoutError) return this.#interrupted('idle-timeout', error);
    if (error instanceof ResponseTooLargeError) return this.#interrupted('too-large', error);
    if (error instanceof APIConnectionError) return this.#interrupted('connection-error', error);
    return error;
  }

  #interrupted(reason: StreamInterruptReason, cause: unknown): StreamInterruptedError<TSnapshot> {
    const chunks = this.#assembler.chunks;
    const { method, path } = this.#source.context;
    const why: Record<StreamInterruptReason, string> = {
      cut: 'ended without a finish_reason',
      'idle-timeout': 'stalled past the idle timeout',
      'connection-error': 'lost its connection',
      'malformed-chunk': 'sent a chunk that is not valid JSON',
      'too-large': 'sent a line longer than `maxLineLength`',
    };
    const requestId = this.#reader?.owner.requestId;
    return new StreamInterruptedError({
      reason,
      partial: this.#assembler.snapshot(),
      chunks,
      requestId,
      cause,
      message:
        `The stream of ${method} ${path} ${why[reason]} after ${chunks} chunk${chunks === 1 ? '' : 's'}` +
        `${requestId ? ` (request id ${requestId})` : ''}. What arrived is in error.partial. ` +
        'It is not retried automatically, since DeepSeek bills the tokens it sent: retry the request yourself if you need the whole answer.',
    });
  }
}
