import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolDefinitionError } from './errors.js';
import { resolveTools } from './resolve-tools.js';
import { tool } from './tool.js';
import { toolPack } from './tool-pack.js';

const make = (name: string, strict = false) =>
  tool({ name, description: name, parameters: z.object({ q: z.string() }), strict, execute: () => name });

describe('resolveTools()', () => {
  it('flattens packs in place, keeps the order and looks tools up by name', () => {
    const pack = toolPack({
      name: 'web',
      description: '',
      tools: [make('search'), make('fetch')],
      prefix: true,
    });
    const set = resolveTools([make('a'), pack, make('b')]);
    expect(set.names).toEqual(['a', 'web_search', 'web_fetch', 'b']);
    expect(set.definitions.map((definition) => definition.function.name)).toEqual(set.names);
    expect(set.get('web_fetch')?.name).toBe('web_fetch');
    expect(set.get('nope')).toBeUndefined();
    expect(set.strict).toBe(false);
  });

  it('produces the same tools array, byte for byte, on every call', () => {
    const items = [make('a'), toolPack({ name: 'p', description: '', tools: [make('b')] })];
    const first = JSON.stringify(resolveTools(items).definitions);
    expect(JSON.stringify(resolveTools(items).definitions)).toBe(first);
    expect(resolveTools(items).definitions[0]).toBe(resolveTools(items).definitions[0]);
  });

  it('rejects duplicate names, saying where each comes from', () => {
    const pack = toolPack({ name: 'web', description: '', tools: [make('search')] });
    expect(() => resolveTools([make('search'), pack])).toThrow(ToolDefinitionError);
    expect(() => resolveTools([make('search'), pack])).toThrow(
      'Two tools are named "search" (tool "search" and tool "search" of pack "web"); DeepSeek needs unique names. Rename one, or give a pack a prefix (toolPack({ prefix: true })).',
    );
  });

  it('rejects strict and non-strict tools mixed (strict is all-or-nothing per request)', () => {
    expect(() => resolveTools([make('a', true), make('b')])).toThrow(
      /tool "a" is strict, tool "b" is not.*Set strict on all of them or on none/,
    );
    expect(resolveTools([make('a', true), make('b', true)]).strict).toBe(true);
  });

  it('rejects more than 128 tools and things that are not tools', () => {
    const many = Array.from({ length: 129 }, (_, index) => make(`t${index}`));
    expect(() => resolveTools(many)).toThrow(/129 tools were given; DeepSeek accepts at most 128/);
    expect(() => resolveTools([make('a'), { name: 'b' } as never])).toThrow(
      /tools\[1\] is neither a tool nor a tool pack/,
    );
  });

  it('accepts an empty list', () => {
    expect(resolveTools([])).toMatchObject({ tools: [], definitions: [], strict: false, names: [] });
  });
});
