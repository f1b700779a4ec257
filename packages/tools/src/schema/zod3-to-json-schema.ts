// Converts zod 3 schemas only, typed structurally: this file must never import the zod package
// itself (zod-to-json-schema returns an empty schema for a zod 4 schema, so the two never meet;
// src/import-rules.test.ts checks that no file imports both).
import type { JsonSchema } from '@plumb/core';
import { ToolDefinitionError } from '../errors.js';
import { isMissing } from '../optional-modules.js';
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

type Converter = Pick<typeof import('zod-to-json-schema'), 'zodToJsonSchema' | 'ignoreOverride'>;
type Zod3Input = Parameters<Converter['zodToJsonSchema']>[0];

let converter: Converter | undefined;
let converterLoad: Promise<Converter> | undefined;

const ZOD3_HELP =
  'zod 3 schemas are converted to JSON Schema by `zod-to-json-schema`, an optional peer dependency of @plumb/tools ' +
  '(zod 4 needs nothing: it converts with its own toJSONSchema). Install it next to plumb: npm install zod-to-json-schema.';

/** Starts loading zod-to-json-schema (done as soon as a zod 3 schema is seen); resolves when it is in. */
function loadZod3Converter(): Promise<Converter> {
  if (converterLoad !== undefined) return converterLoad;
  const load = import('zod-to-json-schema').then(
    (module) => {
      converter = module;
      return module;
    },
    (error: unknown) => {
      converterLoad = undefined;
      throw isMissing(error) ? new ToolDefinitionError(ZOD3_HELP, { cause: error }) : error;
    },
  );
  converterLoad = load;
  return load;
}

/**
 * The converter, synchronously (a tool is checked when it is built). Loaded by `import()` as soon
 * as a zod 3 schema is seen; when a tool is built before that finished (the same tick), Node, Bun
 * and Deno load it synchronously from disk through `process.getBuiltinModule` (no `node:` import,
 * so bundlers and workers are not affected). Elsewhere (a Worker, a browser bundle) the caller
 * must `await loadZod3Support()` first, and the error says so.
 */
function zod3Converter(toolName: string | undefined): Converter {
  if (converter !== undefined) return converter;
  loadZod3Converter().catch(() => {}); // the synchronous path below reports a missing package
  const moduleApi = (
    globalThis as {
      process?: {
        getBuiltinModule?: (
          name: string,
        ) => { createRequire(url: string): (id: string) => unknown } | undefined;
      };
    }
  ).process?.getBuiltinModule?.('module');
  if (moduleApi !== undefined) {
    try {
      converter = moduleApi.createRequire(import.meta.url)('zod-to-json-schema') as Converter;
      return converter;
    } catch (error) {
      if (isMissing(error)) throw new ToolDefinitionError(ZOD3_HELP, { toolName, cause: error });
      // Not on disk (a bundle): fall through to the advice below.
    }
  }
  throw new ToolDefinitionError(
    `${toolName === undefined ? 'A tool' : `Tool "${toolName}"`} has a zod 3 schema, and this runtime loads its converter ` +
      '(zod-to-json-schema) asynchronously: `await loadZod3Support()` from @plumb/tools once before building zod 3 tools.',
    { toolName },
  );
}

/**
 * Loads zod-to-json-schema ahead of building zod 3 tools, for runtimes that cannot load it
 * synchronously (Cloudflare Workers, browser bundles). Not needed on Node, Bun or Deno, nor for zod 4.
 * Rejects with a ToolDefinitionError naming the package when it is not installed.
 */
export async function loadZod3Support(): Promise<void> {
  await loadZod3Converter();
}

/**
 * zod-to-json-schema with every option that changes the output chosen explicitly: draft-07
 * (`jsonSchema7`, like the zod 4 path), the input side of effects and pipes, references to
 * reused or recursive schemas kept as `$ref` under `definitions` (rewritten afterwards),
 * unrepresentable types thrown. Dates and maps throw, so `dateStrategy`/`mapStrategy` never apply.
 */
function convert(schema: Zod3SchemaLike, toolName: string | undefined): JsonSchema {
  // Loaded the first time a zod 3 schema is seen: zod 4 users never pay its start-up cost
  // (about 30 ms, measured in packages/bench, cold start).
  const lib = zod3Converter(toolName);
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

export function zod3Adapter(schema: Zod3SchemaLike, toolName?: string | undefined): SchemaAdapter {
  loadZod3Converter().catch(() => {}); // start loading now; a missing package is reported when converting
  return {
    vendor: 'zod3',
    toJsonSchema: () => convert(schema, toolName),
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
