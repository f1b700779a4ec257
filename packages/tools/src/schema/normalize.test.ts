import { describe, expect, it } from 'vitest';
import { normalizeSchema } from './normalize.js';

describe('normalizeSchema', () => {
  it('drops $schema and the zod safe-integer bounds, keeps real bounds', () => {
    const out = normalizeSchema(
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          a: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
          b: { type: 'integer', minimum: 0, maximum: 9007199254740991 },
        },
      },
      'definitions',
    );
    expect(out).toEqual({
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'integer', minimum: 0 } },
    });
  });

  it('inlines a non-recursive reference and lets sibling keywords win', () => {
    const out = normalizeSchema(
      {
        type: 'object',
        properties: { a: { $ref: '#/definitions/Name', description: 'The a' } },
        definitions: { Name: { type: 'string', description: 'A name' } },
      },
      '$def',
    );
    expect(out).toEqual({ type: 'object', properties: { a: { type: 'string', description: 'The a' } } });
  });

  it('decodes JSON pointer escapes', () => {
    const out = normalizeSchema(
      {
        type: 'object',
        properties: { 'a/b': { type: 'number' }, c: { $ref: '#/properties/a~1b' } },
      },
      '$def',
    );
    expect(out.properties).toEqual({ 'a/b': { type: 'number' }, c: { type: 'number' } });
  });

  it('keeps a reference to the root as "#"', () => {
    const input = {
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
    };
    expect(normalizeSchema(input, '$def')).toEqual(input);
  });

  it('hoists mutually recursive schemas under the definitions key', () => {
    const out = normalizeSchema(
      {
        type: 'object',
        properties: { a: { $ref: '#/definitions/A' } },
        definitions: {
          A: { type: 'object', properties: { b: { $ref: '#/definitions/B' } } },
          B: { type: 'object', properties: { a: { $ref: '#/definitions/A' } } },
        },
      },
      '$def',
    );
    expect(out).toEqual({
      type: 'object',
      properties: { a: { $ref: '#/$def/A' } },
      $def: {
        A: { type: 'object', properties: { b: { type: 'object', properties: { a: { $ref: '#/$def/A' } } } } },
      },
    });
  });

  it('does not read data keywords as schemas', () => {
    const input = { type: 'object', properties: { a: { type: 'object', default: { $ref: 'not-a-ref' } } } };
    expect(normalizeSchema(input, '$def')).toEqual(input);
  });

  it('rejects references it cannot resolve', () => {
    expect(() =>
      normalizeSchema({ type: 'object', properties: { a: { $ref: 'https://x/y' } } }, '$def'),
    ).toThrow(/points outside the schema/);
    expect(() =>
      normalizeSchema({ type: 'object', properties: { a: { $ref: '#/definitions/Nope' } } }, '$def'),
    ).toThrow(/does not point to anything/);
  });

  it('does not modify its input', () => {
    const input = {
      $schema: 'x',
      type: 'object',
      properties: { a: { $ref: '#/definitions/A' } },
      definitions: { A: { type: 'string' } },
    };
    const copy = structuredClone(input);
    normalizeSchema(input, '$def');
    expect(input).toEqual(copy);
  });
});
