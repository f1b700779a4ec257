import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as z3 from 'zod/v3';
import { ToolDefinitionError } from '../errors.js';
import { toStrictSchema } from './strict.js';
import { toJsonSchema } from './to-json-schema.js';

const strict = (schema: unknown) => toJsonSchema(schema, { strict: true });
const property = (schema: unknown, key: string) =>
  (strict(schema).properties as Record<string, unknown>)[key];

/** Every object in a strict schema must list all properties as required and forbid extra keys. */
function checkObjects(node: unknown, seen: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) checkObjects(item, seen);
  } else if (typeof node === 'object' && node !== null) {
    const schema = node as Record<string, unknown>;
    if (schema.type === 'object') {
      expect(schema.additionalProperties).toBe(false);
      expect(schema.required).toEqual(Object.keys(schema.properties as object));
      seen.push(Object.keys(schema.properties as object).join(','));
    }
    for (const value of Object.values(schema)) checkObjects(value, seen);
  }
  return seen;
}

describe('strict mode: DeepSeek subset', () => {
  it('requires every property and sets additionalProperties: false on every object, nested too', () => {
    const params = z.object({
      user: z.object({ name: z.string(), nick: z.string().optional() }),
      tags: z.array(z.object({ label: z.string(), color: z.string().optional() })).optional(),
      pick: z.union([z.object({ a: z.string() }), z.object({ b: z.number().optional() })]),
    });
    expect(checkObjects(strict(params))).toEqual(['user,tags,pick', 'name,nick', 'label,color', 'a', 'b']);
  });

  it('turns optional fields into nullable ones (zod 4 and zod 3)', () => {
    expect(property(z.object({ a: z.string().optional() }), 'a')).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(property(z3.object({ a: z3.string().optional() }), 'a')).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
  });

  it('keeps the description on the nullable wrapper', () => {
    expect(property(z.object({ a: z.string().describe('A name').optional() }), 'a')).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
      description: 'A name',
    });
  });

  it('leaves already-nullable fields alone (nullable, nullish; zod 3 type lists become anyOf)', () => {
    expect(property(z.object({ a: z.string().nullable() }), 'a')).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(property(z.object({ a: z.string().nullish() }), 'a')).toEqual({
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(property(z3.object({ a: z3.string().min(1).nullable() }), 'a')).toEqual({
      anyOf: [{ type: 'string', description: '(minLength: 1)' }, { type: 'null' }],
    });
    expect(property(z3.object({ a: z3.enum(['x', 'y']).optional().nullable() }), 'a')).toEqual({
      anyOf: [{ type: 'string', enum: ['x', 'y'] }, { type: 'null' }],
    });
  });

  it('moves keywords outside the subset into the description and keeps supported ones', () => {
    const params = z.object({
      name: z.string().min(3).max(20).describe('Display name'),
      list: z.array(z.string()).min(1).max(5),
      when: z.iso.datetime(),
      email: z.email(),
      code: z.string().regex(/^[A-Z]{3}$/),
      count: z.number().int().min(1).max(10).multipleOf(1),
      label: z.string().meta({ title: 'Label', examples: ['a'] }),
    });
    expect(strict(params).properties).toMatchInlineSnapshot(`
      {
        "code": {
          "pattern": "^[A-Z]{3}$",
          "type": "string",
        },
        "count": {
          "maximum": 10,
          "minimum": 1,
          "multipleOf": 1,
          "type": "integer",
        },
        "email": {
          "format": "email",
          "type": "string",
        },
        "label": {
          "description": "(title: Label, examples: ["a"])",
          "type": "string",
        },
        "list": {
          "description": "(minItems: 1, maxItems: 5)",
          "items": {
            "type": "string",
          },
          "type": "array",
        },
        "name": {
          "description": "Display name (minLength: 3, maxLength: 20)",
          "type": "string",
        },
        "when": {
          "description": "(format: date-time)",
          "type": "string",
        },
      }
    `);
  });

  it('keeps several checks of one string (zod writes them as allOf) as description notes', () => {
    expect(property(z.object({ id: z.string().regex(/^a/).regex(/b$/) }), 'id')).toEqual({
      type: 'string',
      description: '(pattern: ^a, pattern: b$)',
    });
  });

  it('writes const as a one-value enum (numbers keep const)', () => {
    expect(property(z.object({ kind: z.literal('a') }), 'kind')).toEqual({ type: 'string', enum: ['a'] });
    expect(property(z.object({ n: z.literal(3) }), 'n')).toEqual({ type: 'number', const: 3 });
  });

  it('writes discriminated unions (oneOf) as anyOf; zod still checks which option matched', () => {
    const params = z.object({
      action: z.discriminatedUnion('type', [
        z.object({ type: z.literal('move'), to: z.string() }),
        z.object({ type: z.literal('stop') }),
      ]),
    });
    expect(property(params, 'action')).toMatchInlineSnapshot(`
      {
        "anyOf": [
          {
            "additionalProperties": false,
            "properties": {
              "to": {
                "type": "string",
              },
              "type": {
                "enum": [
                  "move",
                ],
                "type": "string",
              },
            },
            "required": [
              "type",
              "to",
            ],
            "type": "object",
          },
          {
            "additionalProperties": false,
            "properties": {
              "type": {
                "enum": [
                  "stop",
                ],
                "type": "string",
              },
            },
            "required": [
              "type",
            ],
            "type": "object",
          },
        ],
      }
    `);
  });

  it('turns a union of primitives into anyOf', () => {
    expect(property(z.object({ v: z.union([z.string(), z.number()]) }), 'v')).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
  });

  it('rewrites the strict schema for the wire in a stable key order', () => {
    const json = JSON.stringify(
      strict(z.object({ city: z.string().min(2).describe('City'), days: z.number().optional() })),
    );
    expect(json).toMatchInlineSnapshot(
      `"{"type":"object","properties":{"city":{"type":"string","description":"City (minLength: 2)"},"days":{"anyOf":[{"type":"number"},{"type":"null"}]}},"required":["city","days"],"additionalProperties":false}"`,
    );
  });
});

describe('strict mode: what cannot be expressed fails when built', () => {
  it.each([
    [
      'z.record',
      z.object({ r: z.record(z.string(), z.number()) }),
      /field "r" is an object with arbitrary keys/,
    ],
    [
      'zod 3 z.record',
      z3.object({ r: z3.record(z3.number()) }),
      /field "r" is an object with arbitrary keys/,
    ],
    [
      '.catchall',
      z.object({ a: z.string() }).catchall(z.number()),
      /field "\(root\)" is an object with arbitrary keys/,
    ],
    [
      'z.looseObject',
      z.object({ o: z.looseObject({ a: z.string() }) }),
      /field "o" is an object with arbitrary keys/,
    ],
    ['z.tuple', z.object({ t: z.tuple([z.string(), z.number()]) }), /field "t" is a tuple/],
    ['zod 3 z.tuple', z3.object({ t: z3.tuple([z3.string()]) }), /field "t" is a tuple/],
    ['z.any', z.object({ a: z.any() }), /field "a" accepts any value/],
    ['z.unknown nested', z.object({ a: z.array(z.unknown()) }), /field "a\[\]" accepts any value/],
    ['z.never', z.object({ a: z.never() }), /field "a" can never be valid/],
    [
      'an intersection',
      z.object({ a: z.intersection(z.string().min(1), z.number()) }),
      /field "a" is an intersection/,
    ],
    [
      'zod 3 intersection',
      z3.object({ a: z3.intersection(z3.object({ x: z3.string() }), z3.object({ y: z3.string() })) }),
      /field "a" is an intersection/,
    ],
  ])('%s', (_label, schema, message) => {
    expect(() => strict(schema)).toThrow(ToolDefinitionError);
    expect(() => strict(schema)).toThrow(message);
    expect(() => strict(schema)).toThrow(/DeepSeek strict mode cannot express\. .*Or set strict: false/);
  });

  it('rejects not / if-then-else and names the tool', () => {
    expect(() =>
      toStrictSchema(
        { type: 'object', properties: { a: { type: 'string', not: { const: 'x' } } } },
        'lookup',
      ),
    ).toThrow(/^Tool "lookup": field "a" uses "not"/);
    expect(() =>
      toStrictSchema({ type: 'object', properties: { a: { if: { type: 'string' }, else: {} } } }, 'lookup'),
    ).toThrow(/uses "if"/);
  });

  it('still converts the same schema without strict', () => {
    expect(toJsonSchema(z.object({ r: z.record(z.string(), z.number()) })).properties).toEqual({
      r: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'number' } },
    });
  });
});
