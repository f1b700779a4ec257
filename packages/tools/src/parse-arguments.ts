import type { FinishReason } from '@plumb/core';
import { ToolInputError, type ToolInputErrorKind, type ToolInputIssue } from './errors.js';
import { invalidArgumentsText } from './failure-texts.js';
import { formatIssueLines, normalizeIssues } from './format-issues.js';
import { looksTruncated } from './json-balance.js';
import { repairJson } from './repair-json.js';
import type { RawIssue, ValidationResult } from './schema/adapter.js';
import { applyStrictPlan, withoutReportedKeys } from './schema/strict-plan.js';
import type { ConvertedParameters } from './schema/to-json-schema.js';

/** Options for `tool.parseArguments()`. */
export interface ParseArgumentsOptions {
  /**
   * The `finish_reason` of the assistant turn that produced the call. `'length'`,
   * `'insufficient_system_resource'` and `'aborted'` mean the output was cut off (partial output
   * on an HTTP 200), so the arguments are rejected as truncated even if they parse.
   */
  finishReason?: FinishReason | null | undefined;
  /** The tool call's id, copied into errors. */
  callId?: string | undefined;
}

/** The model's arguments, parsed and validated; or why not, with a text to send back to the model. */
export type ParseArgumentsResult<Args> =
  | {
      readonly ok: true;
      readonly args: Args;
      /** True when the JSON had syntactic slips (quotes, trailing commas, Python literals) that were repaired. */
      readonly repaired: boolean;
    }
  | {
      readonly ok: false;
      readonly error: ToolInputError;
      /** Model-readable: which tool, which fields, what was expected, and to call again. */
      readonly content: string;
    };

const NO_ISSUES: readonly RawIssue[] = [];

/** Finish reasons that mean the turn's output was cut off, with how the model is told. */
const CUT_OFF: ReadonlyMap<FinishReason, string> = new Map<FinishReason, string>([
  ['length', 'the response hit the output token limit'],
  ['insufficient_system_resource', 'the server cut the response short for lack of resources'],
  ['aborted', 'the response was aborted before it was complete'],
]);

function fail(
  kind: ToolInputErrorKind,
  toolName: string,
  callId: string,
  rawArguments: string,
  summary: string,
  issues: readonly ToolInputIssue[] = [],
  cause?: unknown,
): ParseArgumentsResult<never> {
  const details = issues.length > 0 ? `\n${formatIssueLines(issues)}` : '';
  const message = `${summary}${details}`;
  const error = new ToolInputError(message, { kind, toolName, callId, rawArguments, issues, cause });
  return { ok: false, error, content: invalidArgumentsText(message) };
}

function truncated(toolName: string, callId: string, raw: string, why: string): ParseArgumentsResult<never> {
  return fail(
    'truncated',
    toolName,
    callId,
    raw,
    `The arguments for tool "${toolName}" were truncated (${why}), so the call was not run. Send the complete arguments; if they are long, make them shorter.`,
  );
}

/**
 * Parses and validates the arguments string of one tool call:
 * 1. a cut-off turn (`finish_reason` `'length'`, `'insufficient_system_resource'` or `'aborted'`)
 *    -> rejected as truncated;
 * 2. `JSON.parse`; if that fails, text that was cut off (unterminated string, unclosed braces or
 *    brackets) is rejected as truncated, otherwise syntactic slips are repaired (`repairJson`, linear);
 * 3. `""` means `{}` for a tool without parameters;
 * 4. strict mode: `null` for an optional field becomes "missing", unknown keys are errors;
 * 5. zod validates (non-strict: unknown keys are stripped by z.object, as zod does by default).
 */
export async function parseArguments(
  toolName: string,
  parameters: ConvertedParameters,
  raw: string | undefined,
  options: ParseArgumentsOptions | undefined,
): Promise<ParseArgumentsResult<unknown>> {
  return parseArgumentsNow(toolName, parameters, raw, options);
}

/**
 * `parseArguments` without a promise where none is needed: the result itself when the arguments
 * parse and the schema validates synchronously (the usual call), a promise only for an
 * asynchronous validation. For the agent loop, through `@plumb/tools/internal`.
 */
export function parseArgumentsNow(
  toolName: string,
  parameters: ConvertedParameters,
  raw: string | undefined,
  options: ParseArgumentsOptions | undefined,
): ParseArgumentsResult<unknown> | Promise<ParseArgumentsResult<unknown>> {
  const callId = options?.callId ?? '';
  if (typeof raw !== 'string') {
    return fail(
      'invalid_json',
      toolName,
      callId,
      String(raw),
      `The arguments for tool "${toolName}" must be a JSON string.`,
    );
  }
  const cutOff = options?.finishReason == null ? undefined : CUT_OFF.get(options.finishReason);
  if (cutOff !== undefined) return truncated(toolName, callId, raw, cutOff);
  let value: unknown;
  try {
    value = JSON.parse(raw); // the common case: one parse, nothing else
  } catch (parseError) {
    const recovered = recover(toolName, parameters, callId, raw, parseError);
    if (!recovered.ok) return recovered.failure;
    return validate(toolName, parameters, callId, raw, recovered.value, recovered.repaired);
  }
  return validate(toolName, parameters, callId, raw, value, false);
}

/** Step 4 and 5 of `parseArguments`: the strict plan, then the schema (a promise only if it is async). */
function validate(
  toolName: string,
  parameters: ConvertedParameters,
  callId: string,
  raw: string,
  value: unknown,
  repaired: boolean,
): ParseArgumentsResult<unknown> | Promise<ParseArgumentsResult<unknown>> {
  let issues = NO_ISSUES;
  let result: ValidationResult;
  try {
    if (parameters.strictPlan !== undefined) {
      const found: RawIssue[] = [];
      applyStrictPlan(value, parameters.strictPlan, found);
      issues = found;
    }
    const pending = parameters.adapter.validate(value);
    if (pending instanceof Promise) {
      return pending.then(
        (settled) => validated(toolName, callId, raw, value, repaired, issues, settled),
        (error: unknown) => uncheckable(toolName, callId, raw, error),
      );
    }
    result = pending;
  } catch (error) {
    return uncheckable(toolName, callId, raw, error);
  }
  return validated(toolName, callId, raw, value, repaired, issues, result);
}

/** Hostile input such as arguments nested thousands of levels deep (a stack overflow). */
function uncheckable(
  toolName: string,
  callId: string,
  raw: string,
  error: unknown,
): ParseArgumentsResult<never> {
  return fail(
    'validation',
    toolName,
    callId,
    raw,
    `The arguments for tool "${toolName}" could not be checked (${error instanceof Error ? error.message : String(error)}). Send simpler, less deeply nested arguments matching the tool's parameters.`,
    [],
    error,
  );
}

function validated(
  toolName: string,
  callId: string,
  raw: string,
  value: unknown,
  repaired: boolean,
  strictIssues: readonly RawIssue[],
  result: ValidationResult,
): ParseArgumentsResult<unknown> {
  let issues = strictIssues;
  if (!result.success) issues = [...issues, ...withoutReportedKeys(result.issues, issues)];
  if (issues.length > 0) {
    return fail(
      'validation',
      toolName,
      callId,
      raw,
      `Invalid arguments for tool "${toolName}":`,
      normalizeIssues(issues, value),
    );
  }
  return { ok: true, args: (result as { data: unknown }).data, repaired };
}

type Recovered =
  | { ok: true; value: unknown; repaired: boolean }
  | { ok: false; failure: ParseArgumentsResult<never> };

/** `JSON.parse` failed: empty arguments, a truncated call, or syntactic slips to repair. */
function recover(
  toolName: string,
  parameters: ConvertedParameters,
  callId: string,
  raw: string,
  parseError: unknown,
): Recovered {
  if (raw.trim() === '') {
    if (parameters.takesNoArguments) return { ok: true, value: {}, repaired: false };
    return {
      ok: false,
      failure: fail(
        'invalid_json',
        toolName,
        callId,
        raw,
        `The arguments for tool "${toolName}" were empty; it expects a JSON object matching its parameters.`,
      ),
    };
  }
  // Checked before repairing, which could close a cut-off call into a valid-looking one.
  if (looksTruncated(raw)) {
    return {
      ok: false,
      failure: truncated(
        toolName,
        callId,
        raw,
        'the JSON ends before every string, brace and bracket is closed',
      ),
    };
  }
  try {
    return { ok: true, value: repairJson(raw), repaired: true };
  } catch {
    const reason = parseError instanceof Error ? parseError.message : String(parseError);
    return {
      ok: false,
      failure: fail(
        'invalid_json',
        toolName,
        callId,
        raw,
        `The arguments for tool "${toolName}" are not valid JSON (${reason}). Send one JSON object matching the tool's parameters.`,
        [],
        parseError,
      ),
    };
  }
}
