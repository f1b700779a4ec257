import { describe, expect, it } from 'vitest';
import { mathPack, PackConfigError } from './index.js';

const invoke = (args: unknown, pack = mathPack()) =>
  pack.tools[0]!.invoke({ id: 'call_00_math', function: { arguments: JSON.stringify(args) } });

describe('mathPack', () => {
  it('has one valid calculate tool', () => {
    const pack = mathPack();
    expect(pack.name).toBe('math');
    expect(pack.tools.map((tool) => tool.name)).toEqual(['calculate']);
    expect(pack.tools[0]!.definition).toMatchObject({
      type: 'function',
      function: {
        name: 'calculate',
        parameters: {
          type: 'object',
          properties: { expression: { type: 'string' } },
          required: ['expression'],
        },
      },
    });
    expect(mathPack({ prefix: true }).tools[0]!.name).toBe('math_calculate');
  });

  it('returns exact results as JSON through the executor', async () => {
    const outcome = await invoke({ expression: '0.1 + 0.2' });
    expect(outcome.ok).toBe(true);
    expect(JSON.parse(outcome.content)).toEqual({ expression: '0.1 + 0.2', result: '0.3', exact: true });
  });

  it('turns bad input into model-readable errors, never a crash', async () => {
    const zero = await invoke({ expression: '1/0' });
    expect(zero).toMatchObject({ ok: false });
    expect(zero.content).toContain('Division by zero');
    const code = await invoke({ expression: 'require("fs")' });
    expect(code.ok).toBe(false);
    expect(code.content).toContain('Unexpected character');
    const long = await invoke({ expression: '1+1+1' }, mathPack({ maxLength: 3 }));
    expect(long.content).toContain('limit is 3');
    const missing = await invoke({});
    expect(missing.ok).toBe(false);
    expect(missing.content).toContain('expression');
  });

  it('checks its options', () => {
    expect(() => mathPack({ maxLength: -1 })).toThrow(PackConfigError);
  });
});
