// Converts zod 3 schemas only, typed structurally: this file must never import the zod package
// itself (zod-to-json-schema returns an empty schema for a zod 4 schema, so the two never meet;
// src/import-rules.test.ts checks that no file imports both).
import { createRequire } from 'node:module';
import type { JsonSchema } from '@plumb/core';
import { fromSafeParse, type SchemaAdapter, thrownIssue, UnrepresentableTypeError } from './adapter.js';

/** The structural shape of a zod 3 schema (`zod@3` or `zod/v3`). */
export interface Zod3SchemaLike {
  readonly _def: { readonly typeName?: string };
  safeParse(data: unknown): { success: boolean; data?: unknown; error?: unknown };
  safeParseAsync(data: unknown): Promise<{ success: boolean; data?: unknown; error?: unknown }>;
}

/** zod 3 schemas have `_def` and `safeParse` but no `_zod` (zod 4 schemas have both `_def` and `_zod`). */
export function isZod3Schema(value: unknown): value is Zod3SchemaLike {
  if (typeof value !== 'object' || value === null || '_zod' in value) return false;
  const candidate = value as Partial<Zod3SchemaLike>;
  return (
    typeof candidate._def === 'object' && candidate._def !== null && typeof candidate.safeParse === 'function'
  );
}

// zod-to-json-schema writes these as something the model could send but zod 3 would reject (a
// date as a date-time string, a bigint as an integer) or as nothing at all. Fail like zod 4 does.
const UNREPRESENTABLE: Record<string, string> = {
  ZodDate: 'Date cannot be represented in JSON Schema',
  ZodBigInt: 'BigInt cannot be represented in JSON Schema',
  ZodFunction: 'Function types cannot be represented in JSON Schema',
  ZodSymbol: 'Symbols cannot be represented in JSON Schema',
  ZodUndefined: 'Undefined cannot be represented in JSON Schema',
  ZodVoid: 'Void cannot be represented in JSON Schema',
  ZodMap: 'Map cannot be represented in JSON Schema',
  ZodSet: 'Set cannot be represented in JSON Schema',
  ZodPromise: 'Promise cannot be represented in JSON Schema',
  ZodNaN: 'NaN cannot be represented in JSON Schema',
};

type Converter = typeof import('zod-to-json-schema');
type Zod3Input = Parameters<Converter['zodToJsonSchema']>[0];

const requireModule = createRequire(import.meta.url);
let converter: Converter | undefined;

// Loaded the first time a zod 3 schema is converted: zod 4 users never pay its start-up cost
// (about 30 ms, measured in packages/bench, cold start).
function loadConverter(): Converter {
  converter ??= requireModule('zod-to-json-schema') as Converter;
  return converter;
}

/**
 * zod-to-json-schema with every option that changes the output chosen explicitly: draft-07
 * (`jsonSchema7`, like the zod 4 path), the input side of effects and pipes, references to
 * reused or recursive schemas kept as `$ref` under `definitions` (rewritten afterwards),
 * unrepresentable types thrown. Dates and maps throw, so `dateStrategy`/`mapStrategy` never apply.
 */
function convert(schema: Zod3SchemaLike): JsonSchema {
  const lib = loadConverter();
  return lib.zodToJsonSchema(schema as unknown as Zod3Input, {
    target: 'jsonSchema7',
    $refStrategy: 'root',
    effectStrategy: 'input',
    pipeStrategy: 'input',
    removeAdditionalStrategy: 'passthrough',
    strictUnions: false,
    errorMessages: false,
    markdownDescription: false,
    emailStrategy: 'format:email',
    patternStrategy: 'escape',
    applyRegexFlags: false, // like zod 4: the pattern's source only; zod still applies the flags
    base64Strategy: 'contentEncoding:base64',
    definitionPath: 'definitions',
    nameStrategy: 'ref',
    allowedAdditionalProperties: true,
    rejectedAdditionalProperties: false,
    override: (def, refs) => {
      const message = UNREPRESENTABLE[(def as { typeName?: string }).typeName ?? ''];
      if (message !== undefined) throw new UnrepresentableTypeError(message, refs.currentPath.slice(1));
      return lib.ignoreOverride;
    },
  }) as JsonSchema;
}

export function zod3Adapter(schema: Zod3SchemaLike): SchemaAdapter {
  return {
    vendor: 'zod3',
    toJsonSchema: () => convert(schema),
    validate(data) {
      try {
        return fromSafeParse(schema.safeParse(data) as Parameters<typeof fromSafeParse>[0]);
      } catch {
        // A schema with async refinements or transforms throws on the synchronous path.
        return schema
          .safeParseAsync(data)
          .then((result) => fromSafeParse(result as Parameters<typeof fromSafeParse>[0]), thrownIssue);
      }
    },
  };
}
