import type { RequestTiming } from '@plumb/core';

/** Where a step's model call went: what a step record carries for debugging. */
export interface StepRequest {
  /** DeepSeek's request id (`x-ds-trace-id`) of the call; quote it when reporting a problem. */
  requestId?: string | undefined;
  /** When the call started (ISO time). */
  startedAt?: string | undefined;
  /** From the call to the end of its stream, retries and backoff included, in ms. */
  latencyMs?: number | undefined;
  /** Time queued at DeepSeek (keep-alive padding before the answer started), in ms. */
  queueMs?: number | undefined;
  /** From the start of the last attempt to the first chunk, in ms (queue time included). */
  firstChunkMs?: number | undefined;
  /** Time waiting for a free `maxConcurrency` slot of the client, in ms. */
  slotWaitMs?: number | undefined;
  /** Retries core made for this call (429, 5xx, connection errors, timeouts). */
  retries?: number | undefined;
}

/** The request details of a step's stream (read once the stream ended or failed). */
export function stepRequest(
  stream: { readonly requestId?: string | undefined; readonly timing?: RequestTiming | undefined },
  startedAt: string,
): StepRequest {
  const timing = stream.timing;
  const request: StepRequest = { requestId: stream.requestId, startedAt };
  if (timing !== undefined) {
    request.latencyMs = timing.totalMs;
    request.queueMs = timing.queueMs;
    request.firstChunkMs = timing.firstChunkMs;
    request.slotWaitMs = timing.slotWaitMs;
    request.retries = Math.max(0, timing.attempts - 1);
  }
  return request;
}
