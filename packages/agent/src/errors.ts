import { PlumbError } from '@plumb/core';
import type { AgentResult } from './run/result.js';

const marker = Symbol.for('@plumb/agent-error');

/**
 * Base class of every error @plumb/agent throws (a `PlumbError`, the root of all plumb errors).
 * Check with `AgentError.isInstance(error)` or `instanceof`, which also work when two copies of
 * the package are installed.
 */
export class AgentError extends PlumbError {
  readonly [marker] = true;

  /** True for any error thrown by @plumb/agent (any copy of the package). */
  static isInstance(error: unknown): error is AgentError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/**
 * The program's mistake: an invalid `Agent` or `run()` option (a forced tool choice in thinking
 * mode, a non-positive `maxSteps`, ...). Thrown before any request is sent.
 */
export class AgentConfigError extends AgentError {
  /** The option at fault, e.g. `toolChoice`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`Invalid agent option \`${option}\`: ${message}`);
    this.option = option;
  }
}

/**
 * A run that could not finish: the API failed (401, 402, a stream cut after retries, ...) or
 * something else unexpected threw. Nothing already done is lost: `result` holds the valid history,
 * the steps and the usage up to the failure (`result.finishReason` is `'error'`). The original
 * error is in `cause`.
 */
export class AgentRunError extends AgentError {
  /**
   * The partial result: `messages` (valid history), `steps`, `usage`, `cost` so far. Not
   * enumerable, so that printing or logging the error (an uncaught rejection, pino's `err`)
   * shows a one-line summary instead of the whole history with every tool result.
   */
  declare readonly result: AgentResult<unknown>;

  constructor(message: string, result: AgentResult<unknown>, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, 'result', { value: result, enumerable: false, configurable: true });
  }

  /** A short summary of `result` (counts and usage, no content). */
  get summary(): string {
    const { result } = this;
    const tokens = result.usage?.total_tokens ?? 0;
    return `finishReason '${result.finishReason}', ${result.steps.length} step(s), ${result.messages.length} message(s), ${tokens} token(s): the history is in error.result`;
  }

  /** What `JSON.stringify(error)` writes: the message and the summary, never the history. */
  toJSON(): Record<string, unknown> {
    const cause = this.cause;
    return {
      name: this.name,
      message: this.message,
      result: this.summary,
      ...(cause === undefined
        ? {}
        : { cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause) }),
    };
  }

  /** How Node prints the error (`console.log`, an uncaught rejection): stack, summary, cause. */
  [Symbol.for('nodejs.util.inspect.custom')](
    _depth: number,
    options: object,
    inspect: (value: unknown, options?: object) => string,
  ): string {
    const cause = this.cause;
    const shownCause =
      cause === undefined
        ? ''
        : `\n  [cause]: ${typeof inspect === 'function' ? inspect(cause, { ...options, depth: 1 }).replaceAll('\n', '\n  ') : String(cause)}`;
    return `${this.stack ?? `${this.name}: ${this.message}`}\n  [result]: ${this.summary}${shownCause}`;
  }
}

/**
 * The model's final answer did not match the `output` schema, even after `maxOutputRetries`
 * re-asks. `issues` describes the last failure; `text` is the last raw answer.
 */
export class StructuredOutputError extends AgentRunError {
  /** The last answer's text, as the model sent it. */
  readonly text: string;
  /** A readable description of why the last answer was rejected. */
  readonly issues: string;

  constructor(text: string, issues: string, retries: number, result: AgentResult<unknown>) {
    super(
      `The model's final answer did not match the output schema after ${retries} re-ask(s): ${issues}. ` +
        'Raise `maxOutputRetries`, simplify the schema, or describe the expected JSON in `instructions`.',
      result,
    );
    this.text = text;
    this.issues = issues;
  }
}

/**
 * The run used up `maxSteps` model turns, with `throwOnMaxSteps: true` (the OpenAI Agents SDK's
 * `MaxTurnsExceededError`). Without that option such a run resolves with `finishReason:
 * 'max_steps'`. `result` keeps the history, steps and usage, as for any AgentRunError.
 */
export class MaxStepsExceededError extends AgentRunError {
  constructor(result: AgentResult<unknown>) {
    super(
      `The agent used all ${result.steps.length} of its steps (maxSteps) without a final answer. Raise \`maxSteps\`, ` +
        'or continue with `agent.run([...error.result.messages, { role: "user", content: "Go on." }])`.',
      result,
    );
  }
}

/** A `RunState` that cannot be used: malformed JSON, an unknown version, an unknown call id. */
export class RunStateError extends AgentError {}
