import { describe, expect, it } from 'vitest';
import { strictSchemaProblem } from './strict-schema.js';

const ok = {
  type: 'object',
  properties: {
    city: { type: 'string', pattern: '^[A-Z]' },
    unit: { type: 'string', enum: ['c', 'f'] },
    when: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
    tags: { type: 'array', items: { type: 'string' } },
    nested: {
      type: 'object',
      properties: { a: { type: 'integer', minimum: 0 } },
      required: ['a'],
      additionalProperties: false,
    },
    author: { $ref: '#/$def/author' },
  },
  required: ['city', 'unit', 'when', 'tags', 'nested', 'author'],
  additionalProperties: false,
  $def: {
    author: {
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    },
  },
};

describe('strictSchemaProblem', () => {
  it('accepts the documented strict subset', () => {
    expect(strictSchemaProblem('get_weather', ok)).toBeUndefined();
  });

  it.each([
    [{ ...ok, required: ['city'] }, "Missing 'unit'"],
    [
      { ...ok, additionalProperties: true },
      "'additionalProperties' is required to be supplied and to be false",
    ],
    [
      { ...ok, properties: { ...ok.properties, city: { type: 'string', minLength: 1 } } },
      "'minLength' is not permitted",
    ],
    [
      { ...ok, properties: { ...ok.properties, tags: { type: 'array', maxItems: 3 } } },
      "'maxItems' is not permitted",
    ],
    [{ ...ok, properties: { ...ok.properties, city: { oneOf: [] } } }, "'oneOf' is not permitted"],
    [
      { ...ok, properties: { ...ok.properties, city: { type: 'string', format: 'date' } } },
      "'format' must be one of",
    ],
    [
      {
        ...ok,
        properties: {
          ...ok.properties,
          nested: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        },
      },
      "In context=('properties', 'nested'), 'additionalProperties'",
    ],
    [{ type: 'string' }, 'schema must be a JSON Schema of \'type: "object"\''],
  ])('rejects %#: %s', (schema, text) => {
    expect(strictSchemaProblem('get_weather', schema)).toContain(text);
  });

  it('names the function', () => {
    expect(strictSchemaProblem('lookup', { type: 'object', properties: {} })).toMatch(
      /^Invalid schema for function 'lookup': /,
    );
  });
});
