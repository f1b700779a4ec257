import type { Exchange } from '../http/exchange.js';
import { recordFailure } from '../state.js';
import type { Turn } from '../types.js';
import { EmulatorHttpError } from '../wire/errors.js';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeTurn(turn: Turn | undefined): string {
  if (!turn) return 'none';
  const parts: string[] = [];
  if (turn.content !== undefined) parts.push(`content ${JSON.stringify(turn.content.slice(0, 40))}`);
  if (turn.toolCalls?.length) parts.push(`tool calls ${turn.toolCalls.map((call) => call.name).join(', ')}`);
  if (turn.fault) parts.push('a fault');
  return parts.join(', ') || 'an empty turn';
}

/**
 * The scripted turn answering this request (undefined when there is no script: the emulator then
 * answers generically). Consumes the turn and runs its `expect`. Script problems become 400s with
 * an `emulator_*` type and are recorded in `emulator.failures`.
 */
export async function nextTurn(exchange: Exchange, thinking: boolean): Promise<Turn | undefined> {
  const state = exchange.state;
  const script = state.script;
  if (script === undefined) return undefined;
  const where = `request #${exchange.record.index} (${exchange.record.method} ${exchange.record.path})`;
  let turn: Turn;
  if (Array.isArray(script)) {
    const next = script[state.nextTurn];
    if (next === undefined) {
      const message = `plumb emulator: the script has ${script.length} turn(s) and all were used, but ${where} asked for another. Add a turn, or look for an unexpected extra call (a retry, a loop that did not stop).`;
      recordFailure(state, message);
      throw new EmulatorHttpError(400, message, 'emulator_script_exhausted');
    }
    state.nextTurn++;
    turn = next;
  } else {
    try {
      turn = await script(exchange.record, {
        turnIndex: state.turnsServed,
        thinking,
        requests: state.requests,
      });
    } catch (error) {
      const message = `plumb emulator: the script function threw for ${where}: ${errorMessage(error)}`;
      recordFailure(state, message);
      throw new EmulatorHttpError(400, message, 'emulator_script_error');
    }
  }
  const turnIndex = state.turnsServed++;
  if (turn.expect) {
    try {
      turn.expect(exchange.record);
    } catch (error) {
      const message = `plumb emulator: turn ${turnIndex} expectation failed for ${where}: ${errorMessage(error)}`;
      recordFailure(state, message);
      throw new EmulatorHttpError(400, message, 'emulator_assertion_error');
    }
  }
  return turn;
}

/** For `assertDone()`: what is left of an array script. */
export function unusedTurnsMessage(script: Turn[], nextTurn: number): string | undefined {
  const left = script.length - nextTurn;
  if (left <= 0) return undefined;
  return `${left} of ${script.length} scripted turn(s) were not used (next unused: turn ${nextTurn}, ${describeTurn(script[nextTurn])})`;
}
