import type { ToolCall } from '@plumb/core';

/** A turn's calls with every id unique, and the ids that were ambiguous in what the server sent. */
export interface DistinctCalls {
  readonly calls: ToolCall[];
  /** The (rewritten) ids of calls that shared their id with another call of the turn. */
  readonly ambiguous: ReadonlyMap<string, string>;
}

/** No ambiguous ids (shared: nothing adds to it). */
const NONE: ReadonlyMap<string, string> = new Map();

/** Whether two calls share an id (pairwise for a few calls, a set for many). */
function hasSharedId(calls: readonly ToolCall[]): boolean {
  const length = calls.length;
  if (length < 2) return false;
  if (length > 16) return new Set(calls.map((call) => call.id)).size < length;
  for (let i = 1; i < length; i++) {
    const id = calls[i]!.id;
    for (let j = 0; j < i; j++) if (calls[j]!.id === id) return true;
  }
  return false;
}

/**
 * Two calls of one turn under one id cannot be told apart: an approval, a tool message or an
 * idempotency key for that id would match both. Such calls never run. Each gets a unique id
 * (`<id>~1`, `<id>~2`, ...) so the history stays valid (every call answered by its own tool
 * message) and the model is told to call again; `ambiguous` maps each new id to the original.
 * A turn without duplicates is returned as it is.
 */
export function distinctCallIds(calls: readonly ToolCall[]): DistinctCalls {
  // Most turns make one call, or a few with distinct ids: then nothing is allocated but the answer.
  if (!hasSharedId(calls)) return { calls: calls as ToolCall[], ambiguous: NONE };
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.id, (counts.get(call.id) ?? 0) + 1);
  const taken = new Set(counts.keys());
  const ambiguous = new Map<string, string>();
  const seen = new Map<string, number>();
  const distinct = calls.map((call) => {
    if ((counts.get(call.id) ?? 0) < 2) return call;
    let n = seen.get(call.id) ?? 0;
    let id: string;
    do {
      n++;
      id = `${call.id}~${n}`;
    } while (taken.has(id));
    seen.set(call.id, n);
    taken.add(id);
    ambiguous.set(id, call.id);
    return { ...call, id };
  });
  return { calls: distinct, ambiguous };
}
