/**
 * Where the time of a request went. DeepSeek answers a queued request with status 200 at once and
 * then pads the body (blank lines, or `: keep-alive` SSE comments) until inference starts: that
 * padding is reported as `queueMs`, apart from the model's own time. Waiting for a free slot of the
 * client's own `maxConcurrency` limit, before anything is sent, is reported apart as `slotWaitMs`.
 */

/** Timings of one request, in milliseconds (monotonic clock). */
export interface RequestTiming {
  /** Attempts made (1 when nothing was retried). */
  attempts: number;
  /** From the start of the last attempt to the response headers. */
  headersMs: number;
  /**
   * Time spent queued at DeepSeek: from the headers to the first answer byte, when keep-alive
   * padding came first; 0 when the answer started without padding.
   */
  queueMs: number;
  /**
   * Time spent waiting, before sending, for a free slot of the client's `maxConcurrency` limit
   * (all attempts added up); 0 without the option or when a slot was free. Not part of `queueMs`
   * (DeepSeek's queue) nor of `headersMs` / `firstChunkMs`; part of `totalMs`.
   */
  slotWaitMs: number;
  /** From the start of the last attempt to the first answer byte (first JSON byte / first `data:` event). */
  firstChunkMs: number;
  /** From the call to the end of the answer, retries and backoff included (for a stream: until it ended). */
  totalMs: number | undefined;
}

/** Monotonic marks recorded while a request runs. */
export class TimingMarks {
  /** When the call started: its creation, or for a stream its first read (when it is sent). */
  callStart: number;
  attempts = 0;
  attemptStart = 0;
  headersAt = 0;
  firstChunkAt = 0;
  endAt = 0;
  padded = false;
  /** Milliseconds waited for a concurrency slot, over every attempt. */
  slotWait = 0;

  constructor(now: number = performance.now()) {
    this.callStart = now;
  }

  /** A snapshot; fields of phases not reached yet are 0 (totalMs undefined until the end). */
  toJSON(): RequestTiming {
    const start = this.attemptStart;
    return {
      attempts: this.attempts,
      headersMs: this.headersAt > 0 ? round(this.headersAt - start) : 0,
      queueMs: this.padded && this.firstChunkAt > 0 ? round(this.firstChunkAt - this.headersAt) : 0,
      slotWaitMs: round(this.slotWait),
      firstChunkMs: this.firstChunkAt > 0 ? round(this.firstChunkAt - start) : 0,
      totalMs: this.endAt > 0 ? round(this.endAt - this.callStart) : undefined,
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
