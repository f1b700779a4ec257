import type { JsonSchema } from '@plumb/core';

/** Keywords whose values are data, not schemas: never searched for `$ref`. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);
const ROOT_DEFINITION_KEYS = new Set(['definitions', '$defs', '$def']);
const POINTER_NOISE = new Set([
  'properties',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  'definitions',
  '$defs',
  '$def',
]);
const SAFE_MIN = Number.MIN_SAFE_INTEGER;
const SAFE_MAX = Number.MAX_SAFE_INTEGER;

type Json = unknown;

function isObject(value: Json): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a local JSON pointer (`#`, `#/definitions/Node`, `#/properties/a/items`). */
function resolvePointer(root: JsonSchema, ref: string): JsonSchema {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) {
    throw new Error(
      `"$ref": "${ref}" points outside the schema; only local references ("#/...") are supported`,
    );
  }
  let node: Json = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
    if (node === undefined) throw new Error(`"$ref": "${ref}" does not point to anything in the schema`);
  }
  if (!isObject(node)) throw new Error(`"$ref": "${ref}" does not point to a schema object`);
  return node;
}

function definitionName(ref: string, taken: Set<string>): string {
  const segments = ref
    .slice(2)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
  const meaningful = segments.filter((segment) => !POINTER_NOISE.has(segment) && !/^\d+$/.test(segment));
  const base = (meaningful.join('_') || 'schema').replace(/[^a-zA-Z0-9_-]+/g, '_');
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}_${suffix}`;
  taken.add(name);
  return name;
}

/**
 * Rewrites a converter's output into a self-contained schema:
 * - drops `$schema` (DeepSeek does not want it) and zod's implicit safe-integer bounds;
 * - inlines every non-recursive `$ref` (zod-to-json-schema points reused schemas at paths such as
 *   `#/properties/a`, which would break once properties are rewritten);
 * - keeps recursive references as `$ref`s to definitions stored under `definitionsKey` at the
 *   root (`#` stays `#`). Strict mode uses `$def`, the key DeepSeek's docs show.
 * Pure: the input is not modified.
 */
export function normalizeSchema(input: JsonSchema, definitionsKey: string): JsonSchema {
  // Recursive targets, with the pointer first used to reach them (it names the definition).
  const recursive = new Map<JsonSchema, string>();
  // Each pass may discover a new recursive target; restart so its first use becomes a $ref too.
  for (;;) {
    const discovered = recursive.size;
    const result = normalizePass(input, definitionsKey, recursive);
    if (recursive.size === discovered) return result;
  }
}

function normalizePass(
  root: JsonSchema,
  definitionsKey: string,
  recursive: Map<JsonSchema, string>,
): JsonSchema {
  const names = new Map<JsonSchema, string>();
  const takenNames = new Set<string>();
  const queue: JsonSchema[] = [];

  const refTo = (target: JsonSchema): string => {
    let name = names.get(target);
    if (name === undefined) {
      name = definitionName(recursive.get(target)!, takenNames);
      names.set(target, name);
      queue.push(target);
    }
    return `#/${definitionsKey}/${name}`;
  };

  const walk = (node: Json, expanding: readonly JsonSchema[]): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, expanding));
    if (!isObject(node)) return node;
    // A recursive target met in place (zod-to-json-schema refers to `#/properties/a` from inside
    // `a`): write the reference here too, instead of a copy of the definition.
    if (node !== root && recursive.has(node) && !expanding.includes(node)) return { $ref: refTo(node) };
    const out: JsonSchema = {};
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const target = resolvePointer(root, ref);
      if (target === root) {
        out.$ref = '#';
      } else if (recursive.has(target)) {
        out.$ref = refTo(target);
      } else if (expanding.includes(target)) {
        recursive.set(target, ref);
        out.$ref = '#';
      } else {
        Object.assign(out, walk(target, [...expanding, target]));
      }
    }
    const isInteger = node.type === 'integer';
    for (const key in node) {
      if (key === '$ref' || key === '$schema') continue;
      if (node === root && ROOT_DEFINITION_KEYS.has(key)) continue;
      const value = node[key];
      if (
        isInteger &&
        ((key === 'minimum' && value === SAFE_MIN) || (key === 'maximum' && value === SAFE_MAX))
      ) {
        continue;
      }
      out[key] = DATA_KEYWORDS.has(key) ? value : walk(value, expanding);
    }
    return out;
  };

  const result = walk(root, []) as JsonSchema;
  const definitions: JsonSchema = {};
  for (let index = 0; index < queue.length; index++) {
    const target = queue[index]!;
    definitions[names.get(target)!] = walk(target, [target]);
  }
  if (queue.length > 0) result[definitionsKey] = definitions;
  return result;
}
