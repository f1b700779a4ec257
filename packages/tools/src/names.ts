import { ToolDefinitionError } from './errors.js';

/**
 * The longest tool name accepted. DeepSeek documented 64 characters until August 2026 and 128
 * since; 64 works with both, and with the OpenAI-compatible tooling around it.
 */
export const MAX_TOOL_NAME_LENGTH = 64;

const NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;

function suggestion(name: string): string {
  const cleaned = name
    .replace(/[^a-zA-Z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_TOOL_NAME_LENGTH);
  return cleaned.length > 0 ? ` (e.g. "${cleaned}")` : '';
}

/** Checks a tool or pack name against DeepSeek's rules; throws a `ToolDefinitionError` naming the fix. */
export function checkName(name: unknown, what: 'Tool' | 'Tool pack'): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ToolDefinitionError(
      `${what} name must be a non-empty string, got ${typeof name === 'string' ? 'an empty string' : typeof name}. Give it a name made of letters, digits, "_" and "-".`,
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(
      `${what} name "${name}" is invalid: DeepSeek accepts only letters, digits, "_" and "-". Rename it${suggestion(name)}.`,
      { toolName: name },
    );
  }
  if (name.length > MAX_TOOL_NAME_LENGTH) {
    throw new ToolDefinitionError(
      `${what} name "${name}" is ${name.length} characters long; DeepSeek accepts at most ${MAX_TOOL_NAME_LENGTH}. Shorten it${suggestion(name)}.`,
      { toolName: name },
    );
  }
  return name;
}
