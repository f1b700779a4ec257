import type { AnyTool } from '@plumb/tools';
import { mapLimit } from './limiter.js';

/**
 * Runs a turn's calls: calls of tools with `parallel: false` run alone, in call order (everything
 * before them has ended, nothing after them has started); the calls between them run at most
 * `limit` at a time. With no such tool it is one `mapLimit` over all calls.
 */
export function runInCallOrder<T extends { readonly tool: AnyTool | undefined }>(
  calls: readonly T[],
  limit: number,
  run: (call: T) => Promise<void>,
): Promise<unknown> {
  // The most usual turn: one call, run as it is (no Promise.all around it).
  if (calls.length === 1) return run(calls[0] as T);
  // The usual turn: every tool may run in parallel, so one mapLimit, without an async wrapper.
  if (calls.every((call) => call.tool?.parallel !== false)) return mapLimit(calls, limit, run);
  return inCallOrder(calls, limit, run);
}

async function inCallOrder<T extends { readonly tool: AnyTool | undefined }>(
  calls: readonly T[],
  limit: number,
  run: (call: T) => Promise<void>,
): Promise<void> {
  let batch: T[] = [];
  for (const call of calls) {
    if (call.tool?.parallel !== false) {
      batch.push(call);
      continue;
    }
    if (batch.length > 0) await mapLimit(batch, limit, run);
    batch = [];
    await run(call);
  }
  if (batch.length > 0) await mapLimit(batch, limit, run);
}
