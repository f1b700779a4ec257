import type { JsonSchema } from '@plumb/core';
import { ToolDefinitionError } from './errors.js';
import type { RawIssue, SchemaAdapter, ValidationResult } from './schema/adapter.js';

/** What a JSON Schema validator returns for one value (the shape zod's safe-parse results map to). */
export type JsonSchemaValidation =
  | { readonly success: true; readonly data?: unknown }
  | { readonly success: false; readonly issues: readonly RawIssue[] };

/** Tool parameters given as a JSON Schema plus the validator that enforces it. */
export interface JsonSchemaParameters<Args = Record<string, unknown>> {
  readonly kind: 'json-schema';
  /** The object schema the model receives (normalized when the tool is built). */
  readonly jsonSchema: JsonSchema;
  /** Validates the parsed arguments; `data` (when given) is what `execute` receives. */
  readonly validate: (value: unknown) => JsonSchemaValidation | PromiseLike<JsonSchemaValidation>;
  /** Type-only: the arguments `execute` receives. Never set. */
  readonly '~args'?: Args | undefined;
}

const marked = new WeakSet<object>();

/** True for parameters built by {@link jsonSchema}. */
export function isJsonSchemaParameters(value: unknown): value is JsonSchemaParameters<unknown> {
  return typeof value === 'object' && value !== null && marked.has(value);
}

/**
 * Tool parameters from a JSON Schema instead of zod, for schemas that arrive as data (MCP servers,
 * OpenAPI documents). `validate` must enforce the schema: use a well-kept validator such as ajv
 * (`@plumb/mcp` does); plumb never checks JSON Schema by hand. Everything else about the tool is
 * the same as with zod: the schema is normalized and, with `strict: true`, converted to DeepSeek's
 * strict subset when the tool is built, and invalid arguments go back to the model.
 *
 * @example
 * const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
 * const check = new Ajv().compile(schema);
 * const readFile = tool({
 *   name: 'read_file',
 *   description: 'Reads a file',
 *   parameters: jsonSchema<{ path: string }>(schema, {
 *     validate: (value) => check(value) ? { success: true } : { success: false, issues: toIssues(check.errors) },
 *   }),
 *   execute: ({ path }) => readFileSync(path, 'utf8'),
 * });
 */
export function jsonSchema<Args = Record<string, unknown>>(
  schema: JsonSchema,
  options: { validate: JsonSchemaParameters<Args>['validate'] },
): JsonSchemaParameters<Args> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ToolDefinitionError(
      `jsonSchema(): the schema must be a JSON Schema object such as { type: 'object', properties: {...} }, got ${schema === null ? 'null' : typeof schema}.`,
    );
  }
  if (typeof options?.validate !== 'function') {
    throw new ToolDefinitionError(
      'jsonSchema(): options.validate must be a function (value) => { success, issues? } backed by a JSON Schema validator such as ajv.',
    );
  }
  const parameters: JsonSchemaParameters<Args> = Object.freeze({
    kind: 'json-schema' as const,
    jsonSchema: schema,
    validate: options.validate,
  });
  marked.add(parameters);
  return parameters;
}

function settle(value: unknown, result: JsonSchemaValidation): ValidationResult {
  if (result.success) return { success: true, data: 'data' in result ? result.data : value };
  return {
    success: false,
    issues: result.issues.length > 0 ? result.issues : [{ path: [], message: 'Invalid input' }],
  };
}

/** The schema adapter of JSON Schema parameters: the schema as given, the caller's validator. */
export function jsonSchemaAdapter(parameters: JsonSchemaParameters<unknown>): SchemaAdapter {
  return {
    vendor: 'json-schema',
    toJsonSchema: () => structuredClone(parameters.jsonSchema),
    validate(data) {
      const result = parameters.validate(data);
      if (typeof (result as PromiseLike<unknown>).then === 'function') {
        return Promise.resolve(result).then((settled) => settle(data, settled));
      }
      return settle(data, result as JsonSchemaValidation);
    },
  };
}
