import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as z3 from 'zod/v3';
import { ToolDefinitionError } from '../errors.js';
import {
  weatherZodV3 as weather3,
  weatherZod as weather4,
  weatherSchemas,
} from './__fixtures__/weather-schemas.js';
import { convertParameters, toJsonSchema } from './to-json-schema.js';

// The zod-to-json-schema side of this story (it returns an empty schema for a zod 4 schema) is in
// zod3-to-json-schema.test.ts: no file imports both zod and zod-to-json-schema.
describe('toJsonSchema: zod 4 and zod 3 are detected and never mixed up', () => {
  it.each(weatherSchemas)(
    'both paths give a real schema with properties and required (%s)',
    (_label, schema, vendor) => {
      expect(convertParameters(schema, false).adapter.vendor).toBe(vendor);
      const json = toJsonSchema(schema);
      expect(json.type).toBe('object');
      expect(json.properties).toMatchObject({
        city: { type: 'string', minLength: 2, description: 'City name' },
        units: { type: 'string', enum: ['c', 'f'] },
        days: { type: 'integer', maximum: 7, default: 1 },
      });
      expect(Object.keys(json.properties as object)).toEqual(['city', 'units', 'days']);
      expect(json.required).toEqual(['city']);
      expect(json).not.toHaveProperty('$schema');
      const strict = toJsonSchema(schema, { strict: true });
      expect(Object.keys(strict.properties as object)).toEqual(['city', 'units', 'days']);
      expect(strict.required).toEqual(['city', 'units', 'days']);
      expect(strict.additionalProperties).toBe(false);
    },
  );

  it('gives the same strict schema for zod, zod/v4, zod/v3 and zod/mini', () => {
    const [first, ...others] = weatherSchemas.map(([, schema]) => toJsonSchema(schema, { strict: true }));
    for (const other of others) expect(other).toEqual(first);
  });

  // zod-to-json-schema closes every object (additionalProperties: false) even when not strict;
  // zod 4's own converter leaves the key out. Apart from that key both give the same schema.
  it.each([
    ['zod 4', weather4, 'absent'],
    ['zod 3', weather3, false],
  ] as const)('converts %s (non-strict)', (_label, schema, closed) => {
    const json = toJsonSchema(schema);
    const { additionalProperties, ...open } = json;
    expect('additionalProperties' in json ? additionalProperties : 'absent').toBe(closed);
    expect(open).toMatchInlineSnapshot(`
      {
        "properties": {
          "city": {
            "description": "City name",
            "minLength": 2,
            "type": "string",
          },
          "days": {
            "default": 1,
            "maximum": 7,
            "type": "integer",
          },
          "units": {
            "enum": [
              "c",
              "f",
            ],
            "type": "string",
          },
        },
        "required": [
          "city",
        ],
        "type": "object",
      }
    `);
  });

  // One inline snapshot that both conversions must match.
  it.each([
    ['zod 4', weather4],
    ['zod 3', weather3],
  ] as const)('converts %s (strict)', (_label, schema) => {
    expect(toJsonSchema(schema, { strict: true })).toMatchInlineSnapshot(`
      {
        "additionalProperties": false,
        "properties": {
          "city": {
            "description": "City name (minLength: 2)",
            "type": "string",
          },
          "days": {
            "anyOf": [
              {
                "default": 1,
                "maximum": 7,
                "type": "integer",
              },
              {
                "type": "null",
              },
            ],
          },
          "units": {
            "anyOf": [
              {
                "enum": [
                  "c",
                  "f",
                ],
                "type": "string",
              },
              {
                "type": "null",
              },
            ],
          },
        },
        "required": [
          "city",
          "units",
          "days",
        ],
        "type": "object",
      }
    `);
  });

  it('caches the conversion per schema and mode, and freezes it', () => {
    const first = toJsonSchema(weather4, { strict: true });
    expect(toJsonSchema(weather4, { strict: true })).toBe(first);
    expect(toJsonSchema(weather4)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.properties)).toBe(true);
  });
});

describe('toJsonSchema: what cannot be sent fails when built', () => {
  it.each([
    ['zod 4 date', z.object({ when: z.date() }), /field "when" cannot be sent by the model as JSON \(Date/],
    ['zod 4 bigint', z.object({ n: z.bigint() }), /field "n" .*BigInt/],
    ['zod 4 function', z.object({ f: z.function() }), /field "f" .*Function/],
    [
      'zod 4 nested map',
      z.object({ a: z.array(z.object({ m: z.map(z.string(), z.string()) })) }),
      /field "a\[\]\.m" .*Map/,
    ],
    ['zod 3 date', z3.object({ when: z3.date() }), /field "when" cannot be sent by the model as JSON \(Date/],
    ['zod 3 bigint', z3.object({ n: z3.bigint() }), /field "n" .*BigInt/],
    ['zod 3 function', z3.object({ f: z3.function() }), /field "f" .*Function/],
  ])('%s', (_label, schema, message) => {
    expect(() => toJsonSchema(schema)).toThrow(ToolDefinitionError);
    expect(() => toJsonSchema(schema)).toThrow(message);
  });

  it.each([
    ['a string', z.string(), /must be an object schema.*got type "string"/],
    ['a zod 3 array', z3.array(z3.string()), /must be an object schema.*got type "array"/],
    ['a root union', z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]), /root-level anyOf/],
    ['not a schema', { type: 'object' }, /must be a zod object schema.*got a plain object/],
    ['null', null, /must be a zod object schema.*got null/],
  ])('rejects %s as parameters', (_label, schema, message) => {
    expect(() => toJsonSchema(schema)).toThrow(message);
  });
});

describe('toJsonSchema: references', () => {
  it('inlines schemas reused by zod 3 (zod-to-json-schema points them at #/properties/...)', () => {
    const point = z3.object({ x: z3.number() });
    const json = toJsonSchema(z3.object({ from: point, to: point }));
    expect(json.properties).toEqual({
      from: {
        type: 'object',
        properties: { x: { type: 'number' } },
        required: ['x'],
        additionalProperties: false,
      },
      to: {
        type: 'object',
        properties: { x: { type: 'number' } },
        required: ['x'],
        additionalProperties: false,
      },
    });
    expect(JSON.stringify(json)).not.toContain('$ref');
  });

  it('keeps recursive zod 4 schemas as refs under definitions (non-strict) and $def (strict)', () => {
    const Category = z.object({
      name: z.string(),
      get children() {
        return z.array(Category);
      },
    });
    const params = z.object({ root: Category });
    expect(toJsonSchema(params)).toMatchInlineSnapshot(`
      {
        "definitions": {
          "__schema0": {
            "properties": {
              "children": {
                "items": {
                  "$ref": "#/definitions/__schema0",
                },
                "type": "array",
              },
              "name": {
                "type": "string",
              },
            },
            "required": [
              "name",
              "children",
            ],
            "type": "object",
          },
        },
        "properties": {
          "root": {
            "$ref": "#/definitions/__schema0",
          },
        },
        "required": [
          "root",
        ],
        "type": "object",
      }
    `);
    expect(toJsonSchema(params, { strict: true })).toMatchInlineSnapshot(`
      {
        "$def": {
          "__schema0": {
            "additionalProperties": false,
            "properties": {
              "children": {
                "items": {
                  "$ref": "#/$def/__schema0",
                },
                "type": "array",
              },
              "name": {
                "type": "string",
              },
            },
            "required": [
              "name",
              "children",
            ],
            "type": "object",
          },
        },
        "additionalProperties": false,
        "properties": {
          "root": {
            "$ref": "#/$def/__schema0",
          },
        },
        "required": [
          "root",
        ],
        "type": "object",
      }
    `);
  });

  it('keeps recursive zod 3 schemas as refs under $def (strict)', () => {
    type Node = { name: string; children: Node[] };
    const Node3: z3.ZodType<Node> = z3.lazy(() =>
      z3.object({ name: z3.string(), children: z3.array(Node3) }),
    );
    expect(toJsonSchema(z3.object({ root: Node3 }), { strict: true })).toMatchInlineSnapshot(`
      {
        "$def": {
          "root": {
            "additionalProperties": false,
            "properties": {
              "children": {
                "items": {
                  "$ref": "#/$def/root",
                },
                "type": "array",
              },
              "name": {
                "type": "string",
              },
            },
            "required": [
              "name",
              "children",
            ],
            "type": "object",
          },
        },
        "additionalProperties": false,
        "properties": {
          "root": {
            "$ref": "#/$def/root",
          },
        },
        "required": [
          "root",
        ],
        "type": "object",
      }
    `);
  });
});
