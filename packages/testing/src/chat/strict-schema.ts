import { isObject, type JsonObject } from '../wire/serde.js';

/**
 * DeepSeek's strict-mode JSON Schema subset (API reference §5.2): every object lists all its
 * properties in `required` and sets `additionalProperties: false`; strings allow `pattern` and
 * `format` (email, hostname, ipv4, ipv6, uuid) but not `minLength`/`maxLength`; arrays allow
 * `items` but not `minItems`/`maxItems`; `anyOf`, `enum`, `$ref` into `$def` (also `$defs`) are
 * fine; other composition keywords are rejected. Error texts follow OpenAI's strict-mode wording
 * (DeepSeek's own texts are not published).
 */

const REJECTED_KEYWORDS = new Set([
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'prefixItems',
  'minProperties',
  'maxProperties',
  'patternProperties',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'dependentRequired',
  'dependentSchemas',
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
]);
const FORMATS = new Set(['email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

/** The first strict-mode violation in a tool's `parameters`, as a message, or undefined. */
export function strictSchemaProblem(functionName: string, parameters: unknown): string | undefined {
  const prefix = `Invalid schema for function '${functionName}': `;
  if (!isObject(parameters)) return `${prefix}strict mode requires 'parameters' to be a JSON Schema object.`;
  if (parameters.type !== 'object')
    return `${prefix}In context=(), schema must be a JSON Schema of 'type: "object"'.`;
  const problem = check(parameters, []);
  return problem === undefined ? undefined : prefix + problem;
}

function context(path: readonly string[]): string {
  return `(${path.map((segment) => `'${segment}'`).join(', ')}${path.length === 1 ? ',' : ''})`;
}

function check(schema: JsonObject, path: string[]): string | undefined {
  const where = `In context=${context(path)}, `;
  for (const keyword of Object.keys(schema)) {
    if (REJECTED_KEYWORDS.has(keyword)) return `${where}'${keyword}' is not permitted.`;
  }
  if (typeof schema.format === 'string' && !FORMATS.has(schema.format)) {
    return `${where}'format' must be one of ${[...FORMATS].join(', ')} (got '${schema.format}').`;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object') || isObject(schema.properties)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = Object.keys(properties).filter((key) => !required.includes(key));
    if (missing.length > 0) {
      return `${where}'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    }
    if (schema.additionalProperties !== false) {
      return `${where}'additionalProperties' is required to be supplied and to be false.`;
    }
    for (const [key, value] of Object.entries(properties)) {
      const problem = isObject(value) ? check(value, [...path, 'properties', key]) : undefined;
      if (problem) return problem;
    }
  }
  if (isObject(schema.items)) {
    const problem = check(schema.items, [...path, 'items']);
    if (problem) return problem;
  }
  if (Array.isArray(schema.anyOf)) {
    for (const [index, option] of schema.anyOf.entries()) {
      const problem = isObject(option) ? check(option, [...path, 'anyOf', String(index)]) : undefined;
      if (problem) return problem;
    }
  }
  for (const definitions of ['$def', '$defs']) {
    const defs = schema[definitions];
    if (!isObject(defs)) continue;
    for (const [key, value] of Object.entries(defs)) {
      const problem = isObject(value) ? check(value, [...path, definitions, key]) : undefined;
      if (problem) return problem;
    }
  }
  return undefined;
}
