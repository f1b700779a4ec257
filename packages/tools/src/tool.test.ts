import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import * as z3 from 'zod/v3';
import { ToolDefinitionError, ToolExecutionError } from './errors.js';
import { tool } from './tool.js';

const execute = () => 'ok';
const base = { name: 'get_weather', description: 'Current weather for a city', execute };

describe('tool()', () => {
  it('builds the DeepSeek definition once (zod 4)', () => {
    const getWeather = tool({ ...base, parameters: z.object({ city: z.string() }) });
    expect(getWeather.definition).toEqual({
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    });
    expect(getWeather.definition).toBe(getWeather.definition);
    expect(Object.isFrozen(getWeather.definition.function.parameters)).toBe(true);
    expect(getWeather).toMatchObject({
      kind: 'tool',
      name: 'get_weather',
      strict: false,
      timeoutMs: undefined,
      needsApproval: false,
      pack: undefined,
    });
  });

  it('builds the definition for zod 3 and marks strict tools', () => {
    const getWeather = tool({
      ...base,
      strict: true,
      parameters: z3.object({ city: z3.string().optional() }),
    });
    expect(getWeather.definition).toEqual({
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather for a city',
        parameters: {
          type: 'object',
          properties: { city: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
          required: ['city'],
          additionalProperties: false,
        },
        strict: true,
      },
    });
    expect(getWeather.strict).toBe(true);
  });

  it('serializes byte-identically every time', () => {
    const a = tool({ ...base, parameters: z.object({ city: z.string(), days: z.number().optional() }) });
    expect(JSON.stringify(a.definition)).toBe(JSON.stringify(a.definition));
    expect(JSON.stringify(a.definition)).toMatchInlineSnapshot(
      `"{"type":"function","function":{"name":"get_weather","description":"Current weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"number"}},"required":["city"]}}}"`,
    );
  });

  it('omits an empty description', () => {
    const bare = tool({ ...base, description: '', parameters: z.object({}) });
    expect(bare.definition.function).not.toHaveProperty('description');
  });

  it.each([
    [
      'a space',
      'get weather',
      /Tool name "get weather" is invalid.*letters, digits, "_" and "-".*e\.g\. "get_weather"/,
    ],
    ['a dot', 'weather.get', /is invalid/],
    ['non-ASCII letters', 'wetter_für', /is invalid/],
    ['65 characters', 'a'.repeat(65), /is 65 characters long; DeepSeek accepts at most 64/],
    ['an empty name', '', /must be a non-empty string/],
  ])('rejects a name with %s', (_label, name, message) => {
    expect(() => tool({ ...base, name, parameters: z.object({}) })).toThrow(ToolDefinitionError);
    expect(() => tool({ ...base, name, parameters: z.object({}) })).toThrow(message);
  });

  it('accepts a 64-character name with digits, "_" and "-"', () => {
    const name = `a-1_${'b'.repeat(60)}`;
    expect(tool({ ...base, name, parameters: z.object({}) }).name).toBe(name);
  });

  it.each([
    ['description', { description: 3 }, /description must be a string/],
    ['execute', { execute: 'run' }, /execute must be a function/],
    ['strict', { strict: 'yes' }, /strict must be true or false/],
    ['timeoutMs', { timeoutMs: -5 }, /timeoutMs must be a positive number/],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }, /timeoutMs must be a positive number/],
    ['maxResultChars', { maxResultChars: 1.5 }, /maxResultChars must be a positive integer/],
    ['needsApproval', { needsApproval: 'always' }, /needsApproval must be a boolean or a function/],
  ])('checks %s when built', (_label, override, message) => {
    const options = { ...base, parameters: z.object({}), ...override } as unknown as Parameters<
      typeof tool
    >[0];
    expect(() => tool(options)).toThrow(message);
  });

  it('names the tool in schema errors', () => {
    expect(() => tool({ ...base, parameters: z.object({ at: z.date() }) })).toThrow(
      /^Tool "get_weather": field "at" cannot be sent by the model as JSON/,
    );
    expect(() =>
      tool({ ...base, strict: true, parameters: z.object({ m: z.record(z.string(), z.string()) }) }),
    ).toThrow(/^Tool "get_weather": field "m" is an object with arbitrary keys/);
    const error = (() => {
      try {
        tool({ ...base, parameters: z.string() as never });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ToolDefinitionError);
    expect((error as ToolDefinitionError).toolName).toBe('get_weather');
  });

  it('is frozen', () => {
    const built = tool({ ...base, parameters: z.object({}) });
    expect(Object.isFrozen(built)).toBe(true);
  });
});

describe('tool.requiresApproval()', () => {
  const context = { callId: 'call_1', toolName: 'delete_file', data: { role: 'admin' } };

  it('returns a fixed answer', async () => {
    const fixed = tool({ ...base, parameters: z.object({}), needsApproval: true });
    expect(await fixed.requiresApproval({}, context)).toBe(true);
    expect(await tool({ ...base, parameters: z.object({}) }).requiresApproval({}, context)).toBe(false);
  });

  it('asks the function with the arguments and the context', async () => {
    const decide = vi.fn(async (args: { path: string }) => args.path.startsWith('/etc'));
    const guarded = tool({ ...base, parameters: z.object({ path: z.string() }), needsApproval: decide });
    expect(await guarded.requiresApproval({ path: '/etc/passwd' }, context)).toBe(true);
    expect(await guarded.requiresApproval({ path: '/tmp/x' }, context)).toBe(false);
    // The tool's own names replace what the caller passed.
    expect(decide).toHaveBeenCalledWith(
      { path: '/etc/passwd' },
      { ...context, toolName: base.name, baseName: base.name, packName: undefined },
    );
  });

  it('rejects with a ToolExecutionError when the function throws', async () => {
    const broken = tool({
      ...base,
      parameters: z.object({}),
      needsApproval: () => {
        throw new Error('no policy');
      },
    });
    await expect(broken.requiresApproval({}, context)).rejects.toThrow(ToolExecutionError);
    await expect(broken.requiresApproval({}, context)).rejects.toThrow(
      'needsApproval of tool "get_weather" threw: no policy',
    );
  });
});
