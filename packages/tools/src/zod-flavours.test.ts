import { describe, expect, it } from 'vitest';
import { weatherSchemas } from './schema/__fixtures__/weather-schemas.js';
import { tool } from './tool.js';

// @plumb/packs writes its schemas with `zod/v4`, users with `zod`, `zod/v3` (zod 3) or `zod/mini`:
// every flavour must give the same tool.
const build = (parameters: (typeof weatherSchemas)[number][1], strict: boolean) =>
  tool({ name: 'get_weather', description: 'Weather', parameters, strict, execute: (args) => args });

describe.each(weatherSchemas)('a tool whose parameters come from %s', (_label, schema) => {
  it('sends the same definition as the zod 4 tool', () => {
    const loose = build(schema, false).definition.function.parameters as Record<string, unknown>;
    // zod-to-json-schema also writes additionalProperties: false for zod 3's (stripping) objects.
    const { additionalProperties: _zod3Only, ...withoutAdditional } = loose;
    expect(withoutAdditional).toEqual(build(weatherSchemas[0][1], false).definition.function.parameters);
    expect(build(schema, true).definition).toEqual(build(weatherSchemas[0][1], true).definition);
  });

  it('runs valid arguments with defaults applied', async () => {
    const outcome = await build(schema, false).invoke({
      id: 'call_0',
      function: { arguments: '{"city":"Paris","extra":1}' },
    });
    expect(outcome).toMatchObject({ ok: true, value: { city: 'Paris', days: 1 } });
  });

  it('rejects invalid arguments naming the same fields', async () => {
    const outcome = await build(schema, false).invoke({
      id: 'call_1',
      function: { arguments: '{"city":"P","units":"k","days":9}' },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatchObject({ name: 'ToolInputError', kind: 'validation', callId: 'call_1' });
    expect(outcome.content).toMatch(/^Error: Invalid arguments for tool "get_weather":\n- city: /);
    const issues = 'issues' in outcome.error ? outcome.error.issues : [];
    expect(issues.map((issue) => issue.path).sort()).toEqual([['city'], ['days'], ['units']]);
  });

  it('in strict mode maps null back to missing and rejects unknown keys', async () => {
    const strictTool = build(schema, true);
    expect(
      await strictTool.invoke({
        id: 'c',
        function: { arguments: '{"city":"Paris","units":null,"days":null}' },
      }),
    ).toMatchObject({ ok: true, value: { city: 'Paris', days: 1 } });
    const extra = await strictTool.invoke({
      id: 'c',
      function: { arguments: '{"city":"Paris","units":"c","days":2,"country":"FR"}' },
    });
    expect(extra.ok).toBe(false);
    expect(extra.content).toContain('- country: Unrecognized key "country"');
  });
});
