import type { JsonSchema } from '@plumb/core';
import { ToolDefinitionError } from '../errors.js';
import { describeSchemaPath } from './schema-path.js';
import {
  CONSTRAINT_KEYWORDS,
  DESCRIBED_KEYWORDS,
  DROPPED_KEYWORDS,
  isNever,
  isNullable,
  isObject,
  joinDescription,
  makeNullable,
  NUMERIC_KEYWORDS,
  noteValue,
  STRUCTURAL_KEYWORDS,
  SUPPORTED_FORMATS,
  TYPE_KEYWORDS,
  UNSUPPORTED_KEYWORDS,
} from './strict-keywords.js';
import type { Plan, StrictPlan } from './strict-plan.js';

/**
 * Rewrites a normalized schema (see `normalizeSchema`, definitions under `$def`) into DeepSeek's
 * strict-mode subset (deepseek-api.md §5.2), or throws a `ToolDefinitionError` naming the field:
 * - every object lists all its properties in `required` and has `additionalProperties: false`;
 *   an optional property becomes nullable (`anyOf` with `{ type: 'null' }`), and the returned
 *   plan maps `null` back to a missing field before zod validates, so `.optional()` still works;
 * - keywords outside the subset (minLength, maxLength, minItems, maxItems, title, unsupported
 *   formats...) move into the description as `(minLength: 3)`; zod still enforces them;
 * - `const` on non-numbers becomes a one-value `enum`; `oneOf` (zod 4's discriminated unions)
 *   becomes `anyOf` (looser for the model, exact again when zod validates); type arrays such as
 *   `["string", "null"]` become `anyOf`;
 * - records, loose objects, tuples, intersections, `not`, `any` and `never` cannot be expressed.
 *
 * References: non-recursive ones were inlined by `normalizeSchema`. Recursive ones stay as
 * `$ref: '#/$def/Name'` with the definitions under a root `$def` object: DeepSeek's strict-mode
 * docs show exactly that (`$def`, singular, `#/$def/author`); whether the standard `$defs` is
 * accepted too is unconfirmed, so we write the documented form. A reference to the whole
 * parameters object stays `#`.
 */
export function toStrictSchema(
  schema: JsonSchema,
  toolName: string | undefined,
): { schema: JsonSchema; plan: StrictPlan } {
  const converter = new StrictConverter(toolName === undefined ? 'Schema' : `Tool "${toolName}"`, toolName);
  const { $def: definitions, ...root } = schema;
  const rootResult = converter.convert(root, []);
  const out: JsonSchema = rootResult.schema;
  const definitionPlans = new Map<string, Plan>();
  if (isObject(definitions)) {
    const outDefinitions: JsonSchema = {};
    for (const name of Object.keys(definitions)) {
      const entry = definitions[name];
      if (!isObject(entry)) continue;
      const converted = converter.convert(entry, ['$def', name]);
      outDefinitions[name] = converted.schema;
      if (converted.plan !== undefined) definitionPlans.set(name, converted.plan);
    }
    out.$def = outDefinitions;
  }
  return {
    schema: out,
    plan: { root: rootResult.plan ?? EMPTY_OBJECT_PLAN, definitions: definitionPlans },
  };
}

const EMPTY_OBJECT_PLAN: Plan = {
  kind: 'object',
  known: new Set(),
  nullToUndefined: new Set(),
  properties: new Map(),
};
type Path = readonly (string | number)[];

interface Converted {
  schema: JsonSchema;
  plan: Plan | undefined;
}

class StrictConverter {
  readonly #label: string;
  readonly #toolName: string | undefined;

  constructor(label: string, toolName: string | undefined) {
    this.#label = label;
    this.#toolName = toolName;
  }

  fail(path: Path, problem: string, fix: string): never {
    throw new ToolDefinitionError(
      `${this.#label}: field "${describeSchemaPath(path)}" ${problem}, which DeepSeek strict mode cannot express. ${fix} Or set strict: false on the tool.`,
      { toolName: this.#toolName },
    );
  }

  convert(node: JsonSchema, path: Path): Converted {
    if (typeof node.$ref === 'string') {
      const out: JsonSchema = { $ref: node.$ref };
      if (typeof node.description === 'string') out.description = node.description;
      const name = node.$ref === '#' ? '#' : node.$ref.slice(node.$ref.lastIndexOf('/') + 1);
      return { schema: out, plan: { kind: 'ref', name } };
    }
    if (isNever(node)) this.fail(path, 'can never be valid (z.never())', 'Remove the field.');
    for (const key in node) {
      const unsupported = UNSUPPORTED_KEYWORDS.get(key);
      if (unsupported !== undefined) this.fail(path, unsupported[0], unsupported[1]);
    }
    if (node.allOf !== undefined) this.#checkAllOf(node, path);
    if (node.anyOf !== undefined || node.oneOf !== undefined) return this.convertUnion(node, path);
    if (Array.isArray(node.type)) return this.convertTypeList(node, node.type, path);
    switch (node.type) {
      case 'object':
        return this.convertObject(node, path);
      case 'array':
        return this.convertArray(node, path);
      case 'string':
      case 'number':
      case 'integer':
      case 'boolean':
      case 'null':
        return { schema: this.convertScalar(node, node.type, path), plan: undefined };
      case undefined:
        if (Array.isArray(node.enum) || 'const' in node) {
          return { schema: this.convertScalar(node, undefined, path), plan: undefined };
        }
        return this.fail(
          path,
          'accepts any value (z.any(), z.unknown(), or a schema with no type)',
          'Give it a concrete type.',
        );
      default:
        return this.fail(path, `has the type ${JSON.stringify(node.type)}`, 'Use a JSON type.');
    }
  }

  /** Collects the keywords every node may carry; returns the description text with notes appended. */
  #annotate(node: JsonSchema, out: JsonSchema): string | undefined {
    const notes: string[] = [];
    const numeric = node.type === 'number' || node.type === 'integer';
    for (const key in node) {
      if (STRUCTURAL_KEYWORDS.has(key) || DROPPED_KEYWORDS.has(key)) continue;
      const value = node[key];
      if (key === 'const') {
        if (numeric) out.const = value;
        else out.enum = [value];
      } else if (key === 'enum') {
        out.enum = value;
      } else if (key === 'default') {
        if (numeric) out.default = value;
        else notes.push(`default: ${noteValue(value)}`);
      } else if (key === 'format') {
        if (node.type === 'string' && typeof value === 'string' && SUPPORTED_FORMATS.has(value))
          out.format = value;
        else notes.push(`format: ${noteValue(value)}`);
      } else if (key === 'pattern') {
        // zod writes a pattern for every format; the format says it better (and zod checks both).
        if (node.format === undefined) out.pattern = value;
      } else if (NUMERIC_KEYWORDS.has(key)) {
        if (numeric) out[key] = value;
        else notes.push(`${key}: ${noteValue(value)}`);
      } else if (DESCRIBED_KEYWORDS.has(key)) {
        notes.push(`${key}: ${noteValue(value)}`);
      }
    }
    if (Array.isArray(node.allOf)) notes.push(...this.#allOfNotes(node));
    const description = typeof node.description === 'string' ? node.description : undefined;
    return joinDescription(description, notes.length > 0 ? `(${notes.join(', ')})` : undefined);
  }

  /**
   * zod writes several checks of one string as `allOf` (e.g. `.regex()` twice): those become
   * notes. Anything else in an `allOf` is an intersection.
   */
  #checkAllOf(node: JsonSchema, path: Path): void {
    const members = node.allOf;
    const simple =
      Array.isArray(members) &&
      typeof node.type === 'string' &&
      members.every(
        (member) =>
          isObject(member) &&
          (member.type === undefined || member.type === node.type) &&
          Object.keys(member).every((key) => key === 'type' || CONSTRAINT_KEYWORDS.has(key)),
      );
    if (!simple) {
      this.fail(
        path,
        'is an intersection (z.intersection() / .and(), written as "allOf")',
        'Merge the objects into one z.object() (e.g. with .extend()).',
      );
    }
  }

  #allOfNotes(node: JsonSchema): string[] {
    const notes: string[] = [];
    for (const member of node.allOf as JsonSchema[]) {
      for (const key in member) {
        if (key !== 'type' && key !== 'description') notes.push(`${key}: ${noteValue(member[key])}`);
      }
    }
    return notes;
  }

  #finish(type: unknown, description: string | undefined, rest: JsonSchema): JsonSchema {
    const out: JsonSchema = {};
    if (type !== undefined) out.type = type;
    if (description !== undefined) out.description = description;
    return Object.assign(out, rest);
  }

  convertScalar(node: JsonSchema, type: string | undefined, path: Path): JsonSchema {
    const rest: JsonSchema = {};
    const description = this.#annotate(node, rest);
    if (node.enum !== undefined && !Array.isArray(node.enum))
      this.fail(path, 'has a malformed "enum"', 'Use z.enum().');
    return this.#finish(type, description, rest);
  }

  convertObject(node: JsonSchema, path: Path): Converted {
    const additional = node.additionalProperties;
    if (additional !== undefined && additional !== false) {
      this.fail(
        path,
        'is an object with arbitrary keys (z.record(), .catchall(), or a loose/passthrough object)',
        'List the keys with z.object({...}) or use an array of { key, value } objects.',
      );
    }
    const properties = node.properties ?? {};
    if (!isObject(properties)) this.fail(path, 'has malformed "properties"', 'Use z.object().');
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    const outProperties: JsonSchema = {};
    const nullToUndefined = new Set<string>();
    const nested = new Map<string, Plan>();
    const keys = Object.keys(properties);
    for (const key of keys) {
      const value = properties[key];
      if (!isObject(value)) this.fail([...path, 'properties', key], 'is not a schema', 'Use a zod type.');
      const converted = this.convert(value, [...path, 'properties', key]);
      let schema = converted.schema;
      if (!required.has(key) && !isNullable(schema)) {
        schema = makeNullable(schema);
        nullToUndefined.add(key);
      }
      outProperties[key] = schema;
      if (converted.plan !== undefined) nested.set(key, converted.plan);
    }
    const rest: JsonSchema = {};
    const description = this.#annotate(node, rest);
    const schema = this.#finish('object', description, {
      properties: outProperties,
      required: keys,
      additionalProperties: false,
      ...rest,
    });
    return { schema, plan: { kind: 'object', known: new Set(keys), nullToUndefined, properties: nested } };
  }

  convertArray(node: JsonSchema, path: Path): Converted {
    const items = node.items;
    if (Array.isArray(items))
      this.fail(path, 'is a tuple (z.tuple())', 'Use an object with named fields, or z.array().');
    if (!isObject(items)) {
      this.fail(
        path,
        'is an array without an item type',
        'Give the array a concrete item type: z.array(z.string()).',
      );
    }
    const converted = this.convert(items, [...path, 'items']);
    const rest: JsonSchema = {};
    const description = this.#annotate(node, rest);
    const schema = this.#finish('array', description, { items: converted.schema, ...rest });
    return {
      schema,
      plan: converted.plan === undefined ? undefined : { kind: 'array', items: converted.plan },
    };
  }

  /** `type: ["string", "null"]` (zod-to-json-schema's nullable, or a union of primitives) -> anyOf. */
  convertTypeList(node: JsonSchema, types: unknown[], path: Path): Converted {
    if (Array.isArray(node.enum) || 'const' in node) {
      const { type: _ignored, ...withoutType } = node;
      return this.convert(withoutType, path);
    }
    const outer: JsonSchema = {};
    const members: JsonSchema[] = [];
    const typed = new Set<string>();
    for (const type of types) {
      const member: JsonSchema = { type };
      const own = TYPE_KEYWORDS[String(type)];
      for (const key in node) {
        if (key !== 'type' && own?.has(key)) member[key] = node[key];
      }
      if (own !== undefined) for (const key of own) typed.add(key);
      members.push(member);
    }
    for (const key in node) {
      if (key !== 'type' && !typed.has(key)) outer[key] = node[key];
    }
    outer.anyOf = members;
    return this.convertUnion(outer, path);
  }

  convertUnion(node: JsonSchema, path: Path): Converted {
    if (node.anyOf !== undefined && node.oneOf !== undefined) {
      this.fail(path, 'uses both "anyOf" and "oneOf"', 'Use a single z.union().');
    }
    if (node.type !== undefined) this.fail(path, 'combines "type" with a union', 'Use a plain z.union().');
    const keyword = node.anyOf !== undefined ? 'anyOf' : 'oneOf';
    const options = node[keyword];
    if (!Array.isArray(options)) return this.fail(path, `has a malformed "${keyword}"`, 'Use z.union().');
    const schemas: JsonSchema[] = [];
    const plans: Plan[] = [];
    let hasNull = false;
    options.forEach((option, index) => {
      if (isNever(option)) return; // zod-to-json-schema writes "undefined" as { not: {} }
      if (!isObject(option)) this.fail([...path, keyword, index], 'is not a schema', 'Use a zod type.');
      const converted = this.convert(option, [...path, keyword, index]);
      if (converted.plan !== undefined) plans.push(converted.plan);
      const flatten =
        Array.isArray(converted.schema.anyOf) &&
        Object.keys(converted.schema).every((key) => key === 'anyOf' || key === 'description');
      for (const member of flatten ? (converted.schema.anyOf as JsonSchema[]) : [converted.schema]) {
        const isNull = member.type === 'null' && Object.keys(member).length === 1;
        if (isNull && hasNull) continue;
        hasNull ||= isNull;
        schemas.push(member);
      }
    });
    if (schemas.length === 0) this.fail(path, 'can never be valid (an empty union)', 'Remove the field.');
    const plan: Plan | undefined =
      plans.length === 0 ? undefined : plans.length === 1 ? plans[0] : { kind: 'union', options: plans };
    const rest: JsonSchema = {};
    const description = this.#annotate(node, rest);
    if (schemas.length === 1) {
      const only = schemas[0]!;
      const merged = joinDescription(
        description,
        typeof only.description === 'string' ? only.description : undefined,
      );
      const { description: _drop, type, ...others } = only;
      return { schema: this.#finish(type, merged, { ...others, ...rest }), plan };
    }
    return { schema: this.#finish(undefined, description, { anyOf: schemas, ...rest }), plan };
  }
}
