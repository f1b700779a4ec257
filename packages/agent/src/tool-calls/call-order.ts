import type { AnyTool } from '@plumb/tools';
import { mapLimit } from './limiter.js';

/**
 * Runs a turn's calls: calls of tools with `parallel: false` run alone, in call order (everything
 * before them has ended, nothing after them has started); the calls between them run at most
 * `limit` at a time. With no such tool it is one `mapLimit` over all calls.
 */
export async function runInCallOrder<T extends { readonly tool: AnyTool | undefined }>(
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
