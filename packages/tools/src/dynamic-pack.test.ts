import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dynamicToolPack, isDynamicToolPack } from './dynamic-pack.js';
import { resolveTools } from './resolve-tools.js';
import { tool } from './tool.js';
import { isToolPack } from './tool-pack.js';
import type { AnyTool } from './types.js';

const make = (name: string) =>
  tool({ name, description: name, parameters: z.object({}), execute: () => name }) as unknown as AnyTool;

class Changing {
  readonly kind = 'tool-pack' as const;
  readonly name = 'live';
  readonly description = 'tools that change';
  tools: readonly AnyTool[] = [make('a')];
  revision = 0;
}

describe('dynamicToolPack()', () => {
  it('registers an object whose tools change as a pack that resolveTools reads afresh', () => {
    const source = dynamicToolPack(new Changing());
    expect(isToolPack(source)).toBe(true);
    expect(isDynamicToolPack(source)).toBe(true);
    expect(resolveTools([source]).names).toEqual(['a']);
    source.tools = [make('a'), make('b')];
    source.revision++;
    expect(resolveTools([source]).names).toEqual(['a', 'b']);
  });

  it('names what is wrong with an invalid pack', () => {
    const bad = Object.assign(new Changing(), { revision: undefined as unknown as number });
    expect(() => dynamicToolPack(bad)).toThrow(/revision must be a number/);
    const notTools = Object.assign(new Changing(), { tools: [{}] as unknown as AnyTool[] });
    expect(() => dynamicToolPack(notTools)).toThrow(/tools must be an array of tools/);
  });
});
