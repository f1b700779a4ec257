import type { UserMessage } from '@plumb/core';
import { type ToolParameters, toJsonSchema } from '@plumb/tools';
import { AgentConfigError } from '../errors.js';

/** A structured-output schema, prepared once per agent. */
export interface OutputSpec {
  readonly schema: ToolParameters;
  /** The system-prompt paragraph explaining the JSON to produce (contains the word "json"). */
  readonly instructions: string;
}

type Issue = { path?: readonly PropertyKey[]; message?: string };
type SafeParseResult = { success: boolean; data?: unknown; error?: { issues?: readonly Issue[] } };
type Parser = { safeParseAsync?: (value: unknown) => Promise<SafeParseResult> };

/**
 * Prepares an `output` schema: converts it with @plumb/tools' JSON Schema converter (DeepSeek
 * has no `json_schema` response format, so the schema goes into the system prompt and the
 * request uses `response_format: { type: 'json_object' }`).
 */
export function prepareOutput(schema: ToolParameters): OutputSpec {
  let json: unknown;
  try {
    json = toJsonSchema(schema);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AgentConfigError(
      'output',
      `must be a zod object schema that JSON can express (z.object({...})): ${reason}`,
    );
  }
  if (typeof (schema as unknown as Parser).safeParseAsync !== 'function') {
    throw new AgentConfigError('output', 'must be a zod schema (zod 4 or zod 3) with safeParseAsync().');
  }
  const instructions =
    'Reply with a single json object and nothing else (no prose, no code fence). ' +
    `It must match this JSON Schema:\n${JSON.stringify(json)}`;
  return { schema, instructions };
}

/** The outcome of checking a final answer against the output schema. */
export type OutputCheck = { ok: true; value: unknown } | { ok: false; issues: string };

/** Parses the answer as JSON and validates it with the zod schema; never throws. */
export async function checkOutput(spec: OutputSpec, text: string): Promise<OutputCheck> {
  if (text.trim() === '') return { ok: false, issues: 'the answer was empty; a JSON object was expected' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: `the answer is not valid JSON (${reason})` };
  }
  let result: SafeParseResult;
  try {
    result = await (spec.schema as unknown as Required<Parser>).safeParseAsync(value);
  } catch (error) {
    return {
      ok: false,
      issues: `the schema's validation threw: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: describeIssues(result.error?.issues ?? []) };
}

function describeIssues(issues: readonly Issue[]): string {
  if (issues.length === 0) return 'the JSON does not match the schema';
  return issues
    .slice(0, 10)
    .map((issue) => {
      const path = issue.path && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      return `${path}: ${issue.message ?? 'invalid'}`;
    })
    .join('; ');
}

/** The user message that re-asks after an invalid answer. */
export function outputRetryMessage(issues: string): UserMessage {
  return {
    role: 'user',
    content: `Your previous answer was rejected: ${issues}. Reply again with only the corrected json object matching the schema.`,
  };
}
