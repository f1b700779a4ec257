import type { JsonSchema } from '@plumb/core';
import { ToolDefinitionError } from '../errors.js';
import { isJsonSchemaParameters, jsonSchemaAdapter } from '../json-schema.js';
import { type SchemaAdapter, UnrepresentableTypeError } from './adapter.js';
import { normalizeSchema } from './normalize.js';
import { describeSchemaPath } from './schema-path.js';
import { toStrictSchema } from './strict.js';
import type { StrictPlan } from './strict-plan.js';
import { isZod3Schema, zod3Adapter } from './zod3-to-json-schema.js';
import { isZod4Schema, zod4Adapter } from './zod4.js';

/** A tool's parameters, converted once and shared by every tool built on the same schema. */
export interface ConvertedParameters {
  readonly adapter: SchemaAdapter;
  /** The schema sent to DeepSeek (deeply frozen). */
  readonly jsonSchema: JsonSchema;
  /** Strict mode only: how to map the model's arguments back before validation. */
  readonly strictPlan: StrictPlan | undefined;
  /** The schema has no properties: empty-string arguments mean `{}`. */
  readonly takesNoArguments: boolean;
}

const cache = new WeakMap<object, { strict?: ConvertedParameters; loose?: ConvertedParameters }>();

function label(toolName: string | undefined): string {
  return toolName === undefined ? 'Schema' : `Tool "${toolName}"`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'a plain object';
}

/** Detects zod 4 (`_zod`) before zod 3 (`_def` without `_zod`): zod 4 schemas have both. */
function schemaAdapter(parameters: unknown, toolName?: string): SchemaAdapter {
  if (isJsonSchemaParameters(parameters)) return jsonSchemaAdapter(parameters);
  if (isZod4Schema(parameters)) return zod4Adapter(parameters);
  if (isZod3Schema(parameters)) return zod3Adapter(parameters, toolName);
  throw new ToolDefinitionError(
    `${label(toolName)}: parameters must be a zod object schema (z.object({...}) from zod 4, or from zod 3 / 'zod/v3'), or jsonSchema(schema, { validate }), got ${describeValue(parameters)}.`,
    { toolName },
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const JSON_TYPES_HINT =
  'Use a JSON type instead: for a date, z.iso.datetime() (zod 4) or z.string().datetime() (zod 3); for a bigint, z.number().int() or z.string(); no functions, maps, sets or symbols.';

function rawJsonSchema(adapter: SchemaAdapter, toolName: string | undefined): JsonSchema {
  try {
    return adapter.toJsonSchema();
  } catch (error) {
    if (error instanceof UnrepresentableTypeError) {
      throw new ToolDefinitionError(
        `${label(toolName)}: field "${describeSchemaPath(error.path)}" cannot be sent by the model as JSON (${error.message}). ${JSON_TYPES_HINT}`,
        { toolName, cause: error },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    const unrepresentable = / cannot be represented in JSON Schema/.test(reason);
    throw new ToolDefinitionError(
      unrepresentable
        ? `${label(toolName)}: a field cannot be sent by the model as JSON (${reason}). ${JSON_TYPES_HINT}`
        : `${label(toolName)}: parameters could not be converted to JSON Schema: ${reason}`,
      { toolName, cause: error },
    );
  }
}

function checkRoot(schema: JsonSchema, toolName: string | undefined): void {
  if (schema.type === 'object' && schema.anyOf === undefined && schema.oneOf === undefined) return;
  const got =
    schema.anyOf !== undefined || schema.oneOf !== undefined
      ? 'a union (root-level anyOf)'
      : schema.type === undefined
        ? 'a schema without a type'
        : `type ${JSON.stringify(schema.type)}`;
  throw new ToolDefinitionError(
    `${label(toolName)}: parameters must be an object schema (z.object({...})) because DeepSeek sends tool arguments as one JSON object; got ${got}. Wrap it in an object, e.g. z.object({ value: ... }), or use one object with an enum field instead of a union.`,
    { toolName },
  );
}

/**
 * Converts a zod 4 or zod 3 object schema to the JSON Schema DeepSeek receives (cached per schema
 * and mode). Non-strict: the converter's output without `$schema`, references inlined (recursive
 * ones kept under `definitions`). Strict: DeepSeek's strict subset (see `toStrictSchema`).
 * Throws `ToolDefinitionError` for anything that cannot be sent.
 */
export function convertParameters(
  parameters: unknown,
  strict: boolean,
  toolName?: string,
): ConvertedParameters {
  const cached = typeof parameters === 'object' && parameters !== null ? cache.get(parameters) : undefined;
  const hit = strict ? cached?.strict : cached?.loose;
  if (hit !== undefined) return hit;

  const adapter = schemaAdapter(parameters, toolName);
  const raw = rawJsonSchema(adapter, toolName);
  checkRoot(raw, toolName);
  let normalized: JsonSchema;
  try {
    normalized = normalizeSchema(raw, strict ? '$def' : 'definitions');
  } catch (error) {
    // A JSON Schema given as data (jsonSchema()) can hold references zod never writes.
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolDefinitionError(`${label(toolName)}: parameters cannot be sent: ${reason}.`, {
      toolName,
      cause: error,
    });
  }
  const properties = normalized.properties;
  const takesNoArguments =
    properties === undefined ||
    (typeof properties === 'object' && Object.keys(properties as object).length === 0);
  let converted: ConvertedParameters;
  if (strict) {
    const { schema, plan } = toStrictSchema(normalized, toolName);
    converted = { adapter, jsonSchema: deepFreeze(schema), strictPlan: plan, takesNoArguments };
  } else {
    converted = { adapter, jsonSchema: deepFreeze(normalized), strictPlan: undefined, takesNoArguments };
  }
  const entry = cached ?? {};
  if (strict) entry.strict = converted;
  else entry.loose = converted;
  if (cached === undefined) cache.set(parameters as object, entry);
  return converted;
}

/**
 * The JSON Schema @plumb/tools sends to DeepSeek for a zod object schema (zod 4 or zod 3):
 * `strict: true` gives DeepSeek's strict-mode subset. The result is frozen.
 * @throws ToolDefinitionError when the schema cannot be expressed.
 */
export function toJsonSchema(schema: unknown, options?: { strict?: boolean | undefined }): JsonSchema {
  return convertParameters(schema, options?.strict === true).jsonSchema;
}
