/**
 * Errors of @plumb/tools, grouped by who caused them:
 * - {@link ToolDefinitionError}: the developer (thrown when a tool, pack or tool set is built);
 * - {@link ToolInputError}: the model (its arguments were not valid JSON, truncated or invalid);
 * - {@link ToolExecutionError}: the tool's own code threw (or its result could not be serialized);
 * - {@link ToolTimeoutError} and {@link ToolAbortedError}: the call did not finish in time or was cancelled.
 *
 * Input, execution, timeout and abort errors are not thrown by the tool runner: they are returned
 * inside a failed `ToolOutcome`, next to a model-readable `content` text.
 */

import { PlumbError } from '@plumb/core';

const TOOL_ERROR = Symbol.for('@plumb/tools.error');

function hasMarker(value: unknown): value is ToolError {
  return (
    typeof value === 'object' && value !== null && (value as { [TOOL_ERROR]?: unknown })[TOOL_ERROR] === true
  );
}

/** Base class of every error this package creates (a `PlumbError`, the root of all plumb errors). */
export class ToolError extends PlumbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, TOOL_ERROR, { value: true });
  }

  /** True for any @plumb/tools error, even one created by another copy of the package. */
  static isInstance(value: unknown): value is ToolError {
    return hasMarker(value);
  }
}

/** The developer's mistake, found when a tool, pack or tool set is built. The message names the fix. */
export class ToolDefinitionError extends ToolError {
  declare readonly name: 'ToolDefinitionError';
  /** The tool (or pack) the problem is about, when there is one. */
  readonly toolName: string | undefined;

  constructor(message: string, options?: { toolName?: string | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.toolName = options?.toolName;
  }

  static override isInstance(value: unknown): value is ToolDefinitionError {
    return hasMarker(value) && value.name === 'ToolDefinitionError';
  }
}

/** What went wrong with the model's arguments. */
export type ToolInputErrorKind = 'invalid_json' | 'truncated' | 'validation';

/** One problem found in the model's arguments. */
export interface ToolInputIssue {
  /** Where in the arguments, e.g. `['items', 0, 'name']`; empty for the whole object. */
  readonly path: readonly (string | number)[];
  /** What was expected, in the validator's words. */
  readonly message: string;
  /** The validator's issue code (`invalid_type`, `too_small`, `unrecognized_keys`, ...). */
  readonly code: string | undefined;
  /** A short description of the value the model sent at `path` (`number 42`, `missing`). */
  readonly received: string | undefined;
}

/** The model's mistake: arguments that are not valid JSON, were cut off, or do not match the schema. */
export class ToolInputError extends ToolError {
  declare readonly name: 'ToolInputError';
  readonly kind: ToolInputErrorKind;
  readonly toolName: string;
  readonly callId: string;
  /** The arguments string exactly as the model sent it. */
  readonly rawArguments: string;
  readonly issues: readonly ToolInputIssue[];

  constructor(
    message: string,
    fields: {
      kind: ToolInputErrorKind;
      toolName: string;
      callId: string;
      rawArguments: string;
      issues?: readonly ToolInputIssue[] | undefined;
      cause?: unknown;
    },
  ) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.kind = fields.kind;
    this.toolName = fields.toolName;
    this.callId = fields.callId;
    this.rawArguments = fields.rawArguments;
    this.issues = fields.issues ?? [];
  }

  static override isInstance(value: unknown): value is ToolInputError {
    return hasMarker(value) && value.name === 'ToolInputError';
  }
}

/** The tool's code threw (or rejected), its pack's setup failed, or its result could not be serialized. */
export class ToolExecutionError extends ToolError {
  declare readonly name: 'ToolExecutionError';
  readonly toolName: string;
  readonly callId: string;

  /** `cause` is the original thrown value. */
  constructor(message: string, fields: { toolName: string; callId: string; cause?: unknown }) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.toolName = fields.toolName;
    this.callId = fields.callId;
  }

  static override isInstance(value: unknown): value is ToolExecutionError {
    return hasMarker(value) && value.name === 'ToolExecutionError';
  }
}

/** The call ran longer than its timeout; its `AbortSignal` was aborted with this error as the reason. */
export class ToolTimeoutError extends ToolError {
  declare readonly name: 'ToolTimeoutError';
  readonly toolName: string;
  readonly callId: string;
  readonly timeoutMs: number;

  constructor(fields: { toolName: string; callId: string; timeoutMs: number }) {
    super(
      `Tool "${fields.toolName}" (call ${fields.callId || 'without id'}) timed out after ${fields.timeoutMs} ms and was cancelled. Raise the tool's timeoutMs if it legitimately needs longer.`,
    );
    this.toolName = fields.toolName;
    this.callId = fields.callId;
    this.timeoutMs = fields.timeoutMs;
  }

  static override isInstance(value: unknown): value is ToolTimeoutError {
    return hasMarker(value) && value.name === 'ToolTimeoutError';
  }
}

/** The run's `AbortSignal` fired before the call finished. `cause` is the signal's reason. */
export class ToolAbortedError extends ToolError {
  declare readonly name: 'ToolAbortedError';
  readonly toolName: string;
  readonly callId: string;

  constructor(fields: { toolName: string; callId: string; cause?: unknown }) {
    super(
      `Tool "${fields.toolName}" (call ${fields.callId || 'without id'}) was cancelled because the run was aborted.`,
      fields.cause === undefined ? undefined : { cause: fields.cause },
    );
    this.toolName = fields.toolName;
    this.callId = fields.callId;
  }

  static override isInstance(value: unknown): value is ToolAbortedError {
    return hasMarker(value) && value.name === 'ToolAbortedError';
  }
}

/** Turns any thrown value into a readable one-line message. */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return value.message || value.name;
    if (typeof value === 'string') return value;
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A hostile value (a throwing getter, a null-prototype object): never let describing it throw.
    try {
      return String(value);
    } catch {
      return 'a value that cannot be described';
    }
  }
}
