import { describe, expect, expectTypeOf, it } from 'vitest';
import { ToolDefinitionError } from './errors.js';
import { jsonSchema } from './json-schema.js';
import { tool } from './tool.js';
import { ToolResultContent } from './tool-content.js';

const schema = {
  type: 'object',
  properties: { path: { type: 'string', minLength: 1 }, limit: { type: 'integer' } },
  required: ['path'],
};

/** Checks `path` (a non-empty string) and `limit` (an integer, optional) like a validator would. */
function validate(value: unknown) {
  const issues: { path: PropertyKey[]; message: string }[] = [];
  const object = value as { path?: unknown; limit?: unknown };
  if (typeof object?.path !== 'string' || object.path === '')
    issues.push({ path: ['path'], message: 'must be a non-empty string' });
  if (object?.limit !== undefined && !Number.isInteger(object.limit))
    issues.push({ path: ['limit'], message: 'must be integer' });
  return issues.length === 0 ? { success: true as const } : { success: false as const, issues };
}

const readFile = (strict = false) =>
  tool({
    name: 'read_file',
    description: 'Reads a file',
    parameters: jsonSchema<{ path: string; limit?: number }>(schema, { validate }),
    strict,
    execute: ({ path, limit }) => `${path}:${limit ?? 'all'}`,
  });

describe('jsonSchema() parameters', () => {
  it('sends the JSON Schema as the tool parameters and types execute from the type argument', () => {
    const built = readFile();
    expect(built.definition.function.parameters).toEqual(schema);
    expectTypeOf(built.execute).parameter(0).toEqualTypeOf<{ path: string; limit?: number }>();
  });

  it('runs valid arguments and feeds invalid ones back to the model with the field named', async () => {
    const built = readFile();
    const ok = await built.invoke({ id: 'call_0', function: { arguments: '{"path":"a.txt","limit":3}' } });
    expect(ok).toMatchObject({ ok: true, content: 'a.txt:3' });
    const bad = await built.invoke({ id: 'call_1', function: { arguments: '{"path":"","limit":1.5}' } });
    expect(bad.ok).toBe(false);
    expect(bad.content).toContain('Invalid arguments for tool "read_file"');
    expect(bad.content).toMatch(/path.*non-empty string/);
    expect(bad.content).toMatch(/limit.*integer/);
  });

  it('converts to the strict subset and maps null back to a missing optional field before validating', async () => {
    const built = readFile(true);
    const parameters = built.definition.function.parameters as Record<string, unknown>;
    expect(parameters.additionalProperties).toBe(false);
    expect(parameters.required).toEqual(['path', 'limit']);
    const outcome = await built.invoke({
      id: 'call_2',
      function: { arguments: '{"path":"b","limit":null}' },
    });
    expect(outcome).toMatchObject({ ok: true, content: 'b:all' });
  });

  it('names the tool when a schema cannot be strict', () => {
    const loose = jsonSchema(
      { type: 'object', properties: { meta: { type: 'object', additionalProperties: { type: 'string' } } } },
      { validate },
    );
    expect(() =>
      tool({ name: 'meta', description: '', parameters: loose, strict: true, execute: () => 1 }),
    ).toThrow(/Tool "meta": field "meta"/);
  });

  it('rejects a schema reference that points outside the schema with a ToolDefinitionError', () => {
    const remote = jsonSchema(
      { type: 'object', properties: { a: { $ref: 'https://x/y.json' } } },
      { validate },
    );
    expect(() => tool({ name: 'remote', description: '', parameters: remote, execute: () => 1 })).toThrow(
      ToolDefinitionError,
    );
  });

  it('rejects a missing validator', () => {
    expect(() => jsonSchema(schema, {} as never)).toThrow(/validate must be a function/);
  });
});

describe('tool options parallel and context.progress', () => {
  it('parallel defaults to true and can be turned off', () => {
    expect(readFile().parallel).toBe(true);
    const serial = tool({
      name: 's',
      description: '',
      parameters: jsonSchema(schema, { validate }),
      parallel: false,
      execute: () => 1,
    });
    expect(serial.parallel).toBe(false);
  });

  it('passes progress reports to onProgress while the call runs, and drops them after it ended', async () => {
    let late: (() => void) | undefined;
    const slow = tool({
      name: 'slow',
      description: '',
      parameters: jsonSchema(schema, { validate }),
      execute: (_args, context) => {
        context.progress?.({ progress: 1, total: 2, message: 'half' });
        late = () => context.progress?.({ progress: 2, total: 2 });
        return 'done';
      },
    });
    const seen: unknown[] = [];
    await slow.run({ path: 'x' }, { callId: 'c', onProgress: (update) => seen.push(update) });
    late?.();
    expect(seen).toEqual([{ progress: 1, total: 2, message: 'half' }]);
  });
});

describe('ToolResultContent', () => {
  it('reads as text for the tool message string and keeps its parts and value', async () => {
    const content = new ToolResultContent(
      [
        { type: 'text', text: 'a chart' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
      { points: 3 },
    );
    const chart = tool({
      name: 'chart',
      description: '',
      parameters: jsonSchema(schema, { validate }),
      execute: () => content,
    });
    const outcome = await chart.run({ path: 'x' }, { callId: 'c' });
    expect(outcome).toMatchObject({ ok: true, content: 'a chart\n[image]' });
    expect(ToolResultContent.isInstance(outcome.ok ? outcome.value : undefined)).toBe(true);
    expect(content.hasImages).toBe(true);
    expect(JSON.stringify(content)).toBe('{"points":3}');
    expect(content.capped(3)[0]).toMatchObject({
      type: 'text',
      text: expect.stringMatching(/^a c\n…\[truncated 4/),
    });
  });
});
