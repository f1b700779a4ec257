import { badRequest, texts } from '../wire/errors.js';
import type { JsonObject } from '../wire/serde.js';
import { strictSchemaProblem } from './strict-schema.js';

const MAX_TOOLS = 128;
/** Sept 2026 docs: 128 characters (64 before). */
const MAX_TOOL_NAME_LENGTH = 128;
const TOOL_NAME = /^[a-zA-Z0-9_-]+$/;

/**
 * Tool-list rules: at most 128 tools, names `^[a-zA-Z0-9_-]+$` up to 128 characters, unique.
 * Strict mode (`strict: true`) is enforced only on `/beta`, all-or-nothing, with the strict schema
 * subset; on the default base URL `strict` is silently ignored, as DeepSeek does.
 * Returns the tool names.
 */
export function validateTools(tools: unknown, beta: boolean): string[] {
  if (!Array.isArray(tools) || tools.length === 0) return [];
  if (tools.length > MAX_TOOLS) throw badRequest(texts.arrayTooLong('tools', MAX_TOOLS, tools.length));
  const names = new Set<string>();
  tools.forEach((tool: JsonObject, index) => {
    const name = String((tool.function as JsonObject).name);
    const field = `tools[${index}].function.name`;
    if (name.length > MAX_TOOL_NAME_LENGTH) {
      throw badRequest(texts.stringTooLong(field, MAX_TOOL_NAME_LENGTH, name.length));
    }
    if (!TOOL_NAME.test(name)) throw badRequest(texts.patternMismatch(field, '^[a-zA-Z0-9_-]+$'));
    if (names.has(name)) {
      throw badRequest(
        `Invalid 'tools': duplicate function name '${name}' (${field}). Tool names must be unique.`,
      );
    }
    names.add(name);
  });
  if (beta) validateStrict(tools as JsonObject[]);
  return [...names];
}

function validateStrict(tools: JsonObject[]): void {
  const strict = tools.map((tool) => (tool.function as JsonObject).strict === true);
  if (!strict.includes(true)) return;
  const loose = strict.indexOf(false);
  if (loose !== -1) {
    throw badRequest(
      `Invalid 'tools': strict mode is all-or-nothing, but tools[${loose}].function.strict is not true. Set "strict": true on every function or on none.`,
    );
  }
  for (const tool of tools) {
    const fn = tool.function as JsonObject;
    const problem = strictSchemaProblem(
      String(fn.name),
      fn.parameters ?? { type: 'object', properties: {}, required: [], additionalProperties: false },
    );
    if (problem) throw badRequest(problem);
  }
}
