import type { JsonSchema } from '@plumb/core';
import { type $ZodType, globalRegistry, safeParse, safeParseAsync, toJSONSchema } from 'zod/v4/core';
import { fromSafeParse, type SchemaAdapter, thrownIssue, UnrepresentableTypeError } from './adapter.js';

/** zod 4 schemas (classic, mini, and `zod/v4` from zod 3.25) carry `_zod`; zod 3 schemas never do. */
export function isZod4Schema(value: unknown): value is $ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { _zod?: unknown })._zod === 'object' &&
    (value as { _zod?: unknown })._zod !== null
  );
}

const BASE_OPTIONS = {
  target: 'draft-7',
  io: 'input',
  cycles: 'ref',
  reused: 'inline',
  metadata: globalRegistry,
} as const;

/**
 * zod's own converter with every option chosen explicitly:
 * - `target: 'draft-7'`: DeepSeek's function calling follows the OpenAI convention, whose
 *   schemas are draft-07 style (`items` is one schema, `definitions`); the AI SDK's DeepSeek
 *   provider sends draft-07 too. draft-2020-12 would add `prefixItems`/`$defs`, which nothing in
 *   DeepSeek's docs mentions (strict mode's `$def` is written by us anyway). Spelled `draft-7`:
 *   early zod 4 releases know only that spelling, later ones map it to `draft-07`.
 * - `io: 'input'`: the schema describes what the model must send, before transforms; fields with
 *   `.default()` are optional.
 * - `unrepresentable: 'throw'`: a `z.date()` or `z.bigint()` fails when the tool is built
 *   instead of silently becoming `{}`.
 * - `cycles: 'ref'`: recursive schemas become `$ref`s instead of failing.
 * - `reused: 'inline'`: a schema used twice is written out twice; models read inline schemas best.
 * - `metadata: globalRegistry`: `.describe()` / `.meta()` texts reach the model.
 */
function convert(schema: $ZodType): JsonSchema {
  try {
    return toJSONSchema(schema, { ...BASE_OPTIONS, unrepresentable: 'throw' }) as JsonSchema;
  } catch (error) {
    throw locate(schema, error);
  }
}

/**
 * zod's 'throw' error does not say which field failed. Zod versions that take a handler
 * function tell us the path; with older ones the original error is kept as it is.
 */
function locate(schema: $ZodType, error: unknown): unknown {
  try {
    toJSONSchema(schema, {
      ...BASE_OPTIONS,
      unrepresentable: ({ path }) => {
        throw new UnrepresentableTypeError(error instanceof Error ? error.message : String(error), path);
      },
    });
  } catch (located) {
    if (located instanceof UnrepresentableTypeError) return located;
  }
  return error;
}

export function zod4Adapter(schema: $ZodType): SchemaAdapter {
  return {
    vendor: 'zod4',
    toJsonSchema: () => convert(schema),
    validate(data) {
      try {
        return fromSafeParse(safeParse(schema, data));
      } catch {
        // A schema with async refinements or transforms throws on the synchronous path.
        return safeParseAsync(schema, data).then(fromSafeParse, thrownIssue);
      }
    },
  };
}
