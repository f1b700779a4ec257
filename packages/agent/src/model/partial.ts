import type { PartialTurn } from './types.js';

/** A registry symbol: the partial turn stays readable across copies of the package. */
const PARTIAL = Symbol.for('plumb.agent.partialTurn');

/**
 * Attaches what arrived of a failed turn to the error the model throws, and returns the error
 * (`throw withPartialTurn(error, partial)`). The error itself is not wrapped: its class, message
 * and `cause` stay as they were, so `AgentRunError.cause` is still the client's error. A
 * primitive or frozen error cannot carry it (the partial turn is then dropped).
 */
export function withPartialTurn<E>(error: E, partial: PartialTurn): E {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    Object.defineProperty(error, PARTIAL, { value: partial, configurable: true, enumerable: false });
  }
  return error;
}

/** The partial turn a model attached to `error` (`withPartialTurn`), if any. */
export function partialTurnOf(error: unknown): PartialTurn | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { [PARTIAL]?: PartialTurn })[PARTIAL];
}
