/** Reading a started event stream under the idle timeout. */
import type { ServerSentEvent, SSEParser } from './sse.js';

/** A body's bytes, pulled one chunk at a time (a `ReadableStreamDefaultReader` is one). */
export interface ByteReader {
  /** The next chunk, or `done` at the end; a cancelled reader answers `done`. */
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Stops the body: pending and later reads answer `done`, the connection is closed. */
  cancel(reason?: unknown): Promise<void>;
}

/** The exchange an EventReader reads from (transport.ts's Attempt); the reader calls back into it. */
export interface ReaderOwner {
  /** DeepSeek's trace id of the answer. */
  readonly requestId: string | undefined;
  /** The answer's headers. */
  readonly headers: Headers | undefined;
  /** Maps what a read threw to the typed error, and ends the exchange. */
  fail(error: unknown, phase: string): Error;
  /** Throws the typed error when the exchange was aborted (timeout, signal, close). */
  throwIfAborted(phase: string): void;
  /** Maps a parser error (an over-long line) to its typed error. */
  lineError(error: unknown): unknown;
  /** A read waited longer than the idle timeout: abort the exchange. */
  idle(): void;
  /** Stops the exchange early; closes the connection. */
  close(): void;
  /** The stream was read to its end. */
  finished(): void;
}

const READING = 'reading the stream';

/**
 * Reads SSE events in batches after the first one arrived. A watchdog aborts the exchange when one
 * read waits longer than the idle timeout; time the consumer spends between reads does not count.
 */
export class EventReader {
  readonly #attempt: ReaderOwner;
  readonly #reader: ByteReader;
  readonly #parser: SSEParser;
  readonly #idleMs: number;
  #first: ServerSentEvent[] | undefined;
  #ended = false;
  #readStart = -1;
  #watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(
    owner: ReaderOwner,
    reader: ByteReader,
    parser: SSEParser,
    first: ServerSentEvent[],
    idleMs: number,
  ) {
    this.#attempt = owner;
    this.#reader = reader;
    this.#parser = parser;
    this.#first = first;
    this.#idleMs = idleMs;
  }

  /** The exchange it reads from (its request id and headers). */
  get owner(): ReaderOwner {
    return this.#attempt;
  }

  /** True once the body ended (the last batch came from the end of the input). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The next batch of events (possibly empty), or undefined at the end of the body. */
  async next(): Promise<ServerSentEvent[] | undefined> {
    const first = this.#first;
    if (first !== undefined) {
      this.#first = undefined;
      return first;
    }
    if (this.#ended) return undefined;
    const failure = this.#parser.failure;
    if (failure !== undefined) {
      this.#stopWatchdog();
      throw this.#attempt.fail(this.#attempt.lineError(failure), READING);
    }
    this.#readStart = performance.now();
    if (this.#watchdog === undefined) this.#watchdog = setTimeout(this.#check, this.#idleMs);
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await this.#reader.read();
      // An idle timeout or abort cancels the reader, which ends a pending read as `done`.
      this.#attempt.throwIfAborted(READING);
    } catch (error) {
      this.#stopWatchdog();
      throw this.#attempt.fail(error, READING);
    } finally {
      this.#readStart = -1;
    }
    try {
      if (!result.done) return this.#parser.push(result.value);
      this.#ended = true;
      this.#stopWatchdog();
      return this.#parser.end();
    } catch (error) {
      // An over-long line (maxLineLength).
      this.#stopWatchdog();
      throw this.#attempt.fail(this.#attempt.lineError(error), READING);
    }
  }

  readonly #check = (): void => {
    this.#watchdog = undefined;
    if (this.#readStart < 0) return;
    const waited = performance.now() - this.#readStart;
    if (waited >= this.#idleMs) this.#attempt.idle();
    else this.#watchdog = setTimeout(this.#check, this.#idleMs - waited);
  };

  #stopWatchdog(): void {
    if (this.#watchdog !== undefined) clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }

  /** Stops reading early (the consumer broke off, or the stream failed): closes the connection. */
  cancel(): void {
    this.#ended = true;
    this.#stopWatchdog();
    this.#attempt.close();
  }

  /**
   * After `[DONE]`: one more read, so that a body that ends right away (DeepSeek's always does)
   * leaves its connection reusable; anything else closes it. No timer of its own: the idle
   * watchdog, usually still armed from the last read, bounds a server that neither ends nor sends.
   */
  finish(): void {
    this.#attempt.finished();
    if (this.#ended) {
      this.#stopWatchdog();
      return;
    }
    this.#ended = true;
    const reader = this.#reader;
    this.#readStart = performance.now();
    if (this.#watchdog === undefined) this.#watchdog = setTimeout(this.#check, this.#idleMs);
    // Like the old drain timer, it must not keep the process alive: the answer is complete.
    (this.#watchdog as { unref?: () => void }).unref?.();
    reader.read().then(
      (result) => {
        this.#readStart = -1;
        this.#stopWatchdog();
        if (!result.done) reader.cancel().catch(() => {});
      },
      () => {
        this.#readStart = -1;
        this.#stopWatchdog();
      },
    );
  }
}
