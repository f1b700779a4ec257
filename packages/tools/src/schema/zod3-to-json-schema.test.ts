// This file imports zod-to-json-schema, so it must not import zod: its schemas come from a fixture.
import { describe, expect, it } from 'vitest';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { weatherZod, weatherZodMini, weatherZodV3, weatherZodV4 } from './__fixtures__/weather-schemas.js';
import { toJsonSchema } from './to-json-schema.js';
import { isZod3Schema } from './zod3-to-json-schema.js';
import { isZod4Schema } from './zod4.js';

describe('zod-to-json-schema is for zod 3 only', () => {
  it.each([
    ['zod', weatherZod],
    ['zod/v4', weatherZodV4],
  ])(
    'returns a schema without properties for a zod 4 schema (%s): why detection matters',
    (_label, schema) => {
      const wrong = zodToJsonSchema(schema as never) as Record<string, unknown>;
      expect(wrong.properties).toBeUndefined();
      expect(wrong.required).toBeUndefined();
      // ...while our conversion, which routes zod 4 to zod's own toJSONSchema, gets it right.
      expect(toJsonSchema(schema).required).toEqual(['city']);
    },
  );

  it('fails outright on a zod/mini schema (it has no _def)', () => {
    expect(() => zodToJsonSchema(weatherZodMini as never)).toThrow(TypeError);
    expect(toJsonSchema(weatherZodMini).required).toEqual(['city']);
  });

  it('gives a real schema with properties and required for a zod 3 schema', () => {
    const json = zodToJsonSchema(weatherZodV3 as never) as Record<string, unknown>;
    expect(Object.keys(json.properties as object)).toEqual(['city', 'units', 'days']);
    expect(json.required).toEqual(['city']);
  });

  it('detects each flavour as exactly one of zod 4 and zod 3', () => {
    for (const schema of [weatherZod, weatherZodV4, weatherZodMini]) {
      expect([isZod4Schema(schema), isZod3Schema(schema)]).toEqual([true, false]);
    }
    expect([isZod4Schema(weatherZodV3), isZod3Schema(weatherZodV3)]).toEqual([false, true]);
  });
});
