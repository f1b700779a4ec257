import { createRequire } from 'node:module';
import type { JsonSchema } from '@plumb/core';
import type { JsonSchemaValidation } from '@plumb/tools';
import type { ErrorObject, ValidateFunction } from 'ajv';

type AjvInstance = {
  compile(schema: object): ValidateFunction;
};

const requireModule = createRequire(import.meta.url);
let shared: AjvInstance | undefined;

/** One ajv instance (the validator the MCP SDK uses), loaded on first use. */
function ajv(): AjvInstance {
  if (shared === undefined) {
    const module = requireModule('ajv') as { default?: new (options: object) => AjvInstance };
    const Ajv = (module.default ?? module) as new (options: object) => AjvInstance;
    // strict: false: servers write keywords ajv does not know (e.g. "x-..." or draft-specific ones).
    shared = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  }
  return shared;
}

function issuePath(error: ErrorObject): PropertyKey[] {
  const path: PropertyKey[] = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (error.keyword === 'required' && typeof missing === 'string') path.push(missing);
  const extra = (error.params as { additionalProperty?: unknown }).additionalProperty;
  if (error.keyword === 'additionalProperties' && typeof extra === 'string') path.push(extra);
  return path;
}

/**
 * A validator for an MCP tool's input schema, compiled with ajv once per tool. A schema ajv
 * cannot compile yields a validator that reports why, so the model (and the logs) see it.
 */
export function schemaValidator(schema: JsonSchema): (value: unknown) => JsonSchemaValidation {
  let check: ValidateFunction;
  try {
    const { $schema: _ignored, ...rest } = schema;
    check = ajv().compile(rest);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return () => ({
      success: false,
      issues: [{ path: [], message: `the tool's input schema cannot be compiled (${reason})` }],
    });
  }
  return (value) => {
    if (check(value)) return { success: true };
    const issues = (check.errors ?? []).map((error) => ({
      path: issuePath(error),
      message: error.message ?? 'is invalid',
      code: error.keyword,
    }));
    return { success: false, issues };
  };
}
