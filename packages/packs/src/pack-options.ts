import { describeValue, isPositiveInteger } from '@plumb/core/internal';
import type { ApprovalPredicate } from '@plumb/tools';
import { PackConfigError } from './errors.js';

/** Options every built-in pack accepts, passed on to `toolPack()`. */
export interface CommonPackOptions {
  /**
   * Prefix the tool names to avoid collisions: `true` uses the pack name (`fs_read_file`), a
   * string uses that string (`'repo'` -> `repo_read_file`). Default: no prefix.
   */
  prefix?: boolean | string | undefined;
  /** Ask a human before each call of the pack's tools (or decide per call). Default false. */
  needsApproval?: boolean | ApprovalPredicate<unknown> | undefined;
  /** Cap on each tool message, in characters (default: the tools package's 100 000). */
  maxResultChars?: number | undefined;
}

/** Picks the `toolPack()` options out of a pack's options. */
export function packDefaults(options: CommonPackOptions) {
  return {
    prefix: options.prefix,
    needsApproval: options.needsApproval,
    maxResultChars: options.maxResultChars,
  };
}

/** A positive integer option, or its default; anything else is a {@link PackConfigError}. */
export function positiveInteger(
  pack: string,
  field: string,
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!isPositiveInteger(value)) {
    throw new PackConfigError(
      `${pack}: ${field} must be a positive whole number, got ${describeValue(value)}.`,
    );
  }
  return value;
}
