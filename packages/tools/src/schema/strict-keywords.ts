import type { JsonSchema } from '@plumb/core';

/** The keyword tables and small helpers of the strict-mode conversion (deepseek-api.md §5.2). */

export const SUPPORTED_FORMATS = new Set(['email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
export const NUMERIC_KEYWORDS = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
]);
/** Constraints and annotations outside the subset: kept for the model as description text. */
export const DESCRIBED_KEYWORDS = new Set([
  'title',
  'examples',
  'deprecated',
  'minLength',
  'maxLength',
  'contentEncoding',
  'contentMediaType',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
]);
/** Keywords that change what is valid in ways the subset cannot say. */
export const UNSUPPORTED_KEYWORDS = new Map<string, [problem: string, fix: string]>([
  ['not', ['uses "not"', 'Remove it; express the rule with .refine() (zod still checks it).']],
  ['if', ['uses "if"/"then"/"else"', 'Remove it; express the rule with .refine() (zod still checks it).']],
  ['then', ['uses "if"/"then"/"else"', 'Remove it; express the rule with .refine() (zod still checks it).']],
  ['else', ['uses "if"/"then"/"else"', 'Remove it; express the rule with .refine() (zod still checks it).']],
  ['dependentSchemas', ['uses "dependentSchemas"', 'Remove it; express the rule with .refine().']],
  ['dependencies', ['uses "dependencies"', 'Remove it; express the rule with .refine().']],
  ['unevaluatedProperties', ['uses "unevaluatedProperties"', 'Use a plain z.object().']],
  ['unevaluatedItems', ['uses "unevaluatedItems"', 'Use a plain z.array().']],
  ['prefixItems', ['is a tuple (z.tuple())', 'Use an object with named fields, or z.array().']],
  ['additionalItems', ['is a tuple (z.tuple())', 'Use an object with named fields, or z.array().']],
  ['$dynamicRef', ['uses "$dynamicRef"', 'Use a plain recursive schema (z.lazy or a getter).']],
  ['$recursiveRef', ['uses "$recursiveRef"', 'Use a plain recursive schema (z.lazy or a getter).']],
]);
/** Keywords that only narrow a string or number: fine inside a simple `allOf`. */
export const CONSTRAINT_KEYWORDS = new Set([
  'description',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  ...NUMERIC_KEYWORDS,
]);
/** Annotations with no meaning for the model; custom `.meta()` keys are dropped too. */
export const DROPPED_KEYWORDS = new Set([
  '$schema',
  '$id',
  'id',
  '$anchor',
  '$comment',
  'readOnly',
  'writeOnly',
]);
export const STRUCTURAL_KEYWORDS = new Set([
  'type',
  'description',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
]);
export const TYPE_KEYWORDS: Record<string, ReadonlySet<string>> = {
  string: new Set(['minLength', 'maxLength', 'pattern', 'format', 'contentEncoding', 'contentMediaType']),
  number: NUMERIC_KEYWORDS,
  integer: NUMERIC_KEYWORDS,
  array: new Set([
    'items',
    'prefixItems',
    'additionalItems',
    'minItems',
    'maxItems',
    'uniqueItems',
    'contains',
  ]),
  object: new Set([
    'properties',
    'required',
    'additionalProperties',
    'patternProperties',
    'propertyNames',
    'minProperties',
    'maxProperties',
  ]),
};

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function noteValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function joinDescription(...parts: (string | undefined)[]): string | undefined {
  const text = parts.filter((part) => part !== undefined && part !== '').join(' ');
  return text === '' ? undefined : text;
}

export function isNullable(schema: JsonSchema): boolean {
  if (schema.type === 'null') return true;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) return true;
  return (
    Array.isArray(schema.anyOf) && schema.anyOf.some((member) => isObject(member) && member.type === 'null')
  );
}

export function makeNullable(schema: JsonSchema): JsonSchema {
  const { description, ...rest } = schema;
  const members = Array.isArray(rest.anyOf) && Object.keys(rest).length === 1 ? rest.anyOf : [rest];
  const out: JsonSchema = { anyOf: [...members, { type: 'null' }] };
  if (description !== undefined) out.description = description;
  return out;
}

export function isNever(schema: unknown): boolean {
  return isObject(schema) && isObject(schema.not) && Object.keys(schema.not).length === 0;
}
