import { toolNameProblem } from '@plumb/core/internal';
import { ToolDefinitionError } from './errors.js';

/**
 * The longest tool name accepted. DeepSeek documented 64 characters until August 2026 and 128
 * since; 64 works with both, and with the OpenAI-compatible tooling around it.
 */
export const MAX_TOOL_NAME_LENGTH = 64;

function suggestion(name: string): string {
  const cleaned = name
    .replace(/[^a-zA-Z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_TOOL_NAME_LENGTH);
  return cleaned.length > 0 ? ` (e.g. "${cleaned}")` : '';
}

/** Checks a tool or pack name against DeepSeek's rules; throws a `ToolDefinitionError` naming the fix. */
export function checkName(name: unknown, what: 'Tool' | 'Tool pack'): string {
  // DeepSeek's name rule (core's), with this package's tighter length.
  const problem = toolNameProblem(name, MAX_TOOL_NAME_LENGTH);
  if (problem === undefined) return name as string;
  if (problem === 'not-a-string' || problem === 'empty') {
    throw new ToolDefinitionError(
      `${what} name must be a non-empty string, got ${typeof name === 'string' ? 'an empty string' : typeof name}. Give it a name made of letters, digits, "_" and "-".`,
    );
  }
  const text = name as string;
  if (problem === 'characters') {
    throw new ToolDefinitionError(
      `${what} name "${text}" is invalid: DeepSeek accepts only letters, digits, "_" and "-". Rename it${suggestion(text)}.`,
      { toolName: text },
    );
  }
  throw new ToolDefinitionError(
    `${what} name "${text}" is ${text.length} characters long; DeepSeek accepts at most ${MAX_TOOL_NAME_LENGTH}. Shorten it${suggestion(text)}.`,
    { toolName: text },
  );
}
