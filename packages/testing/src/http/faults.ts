import type { EmulatorState } from '../state.js';
import type { Fault, GlobalFault, RecordedRequest } from '../types.js';

function matches(match: GlobalFault['match'], request: RecordedRequest): boolean {
  if (match === undefined) return true;
  if (typeof match === 'function') return match(request);
  return request.path.split('?')[0]!.endsWith(match);
}

/** The first global fault matching `request` that has uses left (and uses it up once). */
export function takeGlobalFault(state: EmulatorState, request: RecordedRequest): GlobalFault | undefined {
  for (const entry of state.faults) {
    if (entry.remaining <= 0 || !matches(entry.fault.match, request)) continue;
    entry.remaining--;
    return entry.fault;
  }
  return undefined;
}

/** A turn's fault wins over a global one field by field. */
export function mergeFaults(global: Fault | undefined, turn: Fault | undefined): Fault | undefined {
  if (!global) return turn;
  if (!turn) return global;
  return { ...global, ...turn, headers: { ...global.headers, ...turn.headers } };
}
