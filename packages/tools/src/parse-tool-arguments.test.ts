import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ParseArgumentsOptions } from './parse-arguments.js';
import { parseToolArguments, tool } from './tool.js';
import type { AnyTool } from './types.js';

const plain = tool({
  name: 'plain',
  description: 'Sync schema',
  parameters: z.object({ city: z.string(), days: z.number().int().optional() }),
  execute: () => 'ok',
});
const asyncChecked = tool({
  name: 'async_checked',
  description: 'Async refinement',
  parameters: z.object({ n: z.number() }).refine(async ({ n }) => n > 0, 'n must be positive'),
  execute: () => 'ok',
});

const cases: Array<[string, string, ParseArgumentsOptions]> = [
  ['valid', '{"city":"Paris","days":2}', { callId: 'c1' }],
  ['invalid', '{"city":3}', { callId: 'c2' }],
  ['repaired', "{'city':'Paris',}", { callId: 'c3' }],
  ['truncated JSON', '{"city":"Par', { callId: 'c4' }],
  ['cut off by finish_reason', '{"city":"Paris"}', { callId: 'c5', finishReason: 'length' }],
  ['not JSON', 'city=Paris', { callId: 'c6' }],
  ['empty', '', { callId: 'c7' }],
];

describe('parseToolArguments', () => {
  it.each(cases)(
    'answers %s arguments synchronously, as parseArguments does',
    async (_label, raw, options) => {
      const now = parseToolArguments(plain, raw, options);
      expect(now).not.toBeInstanceOf(Promise);
      expect(now).toEqual(await plain.parseArguments(raw, options));
    },
  );

  it('returns a promise for a schema that validates asynchronously', async () => {
    const pending = parseToolArguments(asyncChecked, '{"n":-1}', { callId: 'c1' });
    expect(pending).toBeInstanceOf(Promise);
    const parsed = await pending;
    expect(parsed.ok).toBe(false);
    expect(parsed).toEqual(await asyncChecked.parseArguments('{"n":-1}', { callId: 'c1' }));
    expect(await parseToolArguments(asyncChecked, '{"n":2}', {})).toMatchObject({ ok: true, args: { n: 2 } });
  });

  it("calls the object's own parseArguments for a tool tool() did not build", async () => {
    const seen: string[] = [];
    const foreign = {
      ...plain,
      parseArguments: async (raw: string) => {
        seen.push(raw);
        return { ok: true as const, args: { city: 'Rome' }, repaired: false };
      },
    } as AnyTool;
    const parsed = parseToolArguments(foreign, '{"city":"Paris"}', {});
    expect(parsed).toBeInstanceOf(Promise);
    expect(await parsed).toMatchObject({ args: { city: 'Rome' } });
    expect(seen).toEqual(['{"city":"Paris"}']);
  });
});
