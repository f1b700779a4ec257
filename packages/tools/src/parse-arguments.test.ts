import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as z3 from 'zod/v3';
import { ToolInputError } from './errors.js';
import { tool } from './tool.js';

const noop = () => 'ok';
const weather = tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({
    city: z.string().min(2),
    days: z.number().int().max(7).default(1),
    units: z.enum(['c', 'f']).optional(),
  }),
  execute: noop,
});

async function failure(result: Promise<unknown>) {
  const parsed = (await result) as { ok: boolean; error?: ToolInputError; content?: string };
  expect(parsed.ok).toBe(false);
  expect(parsed.error).toBeInstanceOf(ToolInputError);
  return parsed as { ok: false; error: ToolInputError; content: string };
}

describe('parseArguments: valid and repairable input', () => {
  it('parses, validates and applies defaults', async () => {
    expect(await weather.parseArguments('{"city":"Paris"}')).toEqual({
      ok: true,
      args: { city: 'Paris', days: 1 },
      repaired: false,
    });
  });

  it('strips unknown keys in non-strict mode (zod object default)', async () => {
    const result = await weather.parseArguments('{"city":"Paris","country":"FR"}');
    expect(result).toEqual({ ok: true, args: { city: 'Paris', days: 1 }, repaired: false });
  });

  it.each([
    ['single quotes', "{'city': 'Paris'}"],
    ['a trailing comma', '{"city": "Paris",}'],
    ['unquoted keys', '{city: "Paris"}'],
    ['Python literals', '{"city": "Paris", "flag": True, "note": None}'],
    ['a markdown fence', '```json\n{"city": "Paris"}\n```'],
    ['a missing comma', '{"city": "Paris" "days": 2}'],
  ])('repairs %s', async (_label, raw) => {
    const result = await weather.parseArguments(raw);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.repaired).toBe(true);
      expect(result.args.city).toBe('Paris');
    }
  });

  it('treats "" as {} for a tool without parameters', async () => {
    const ping = tool({ name: 'ping', description: 'Ping', parameters: z.object({}), execute: noop });
    expect(await ping.parseArguments('')).toEqual({ ok: true, args: {}, repaired: false });
    expect(await ping.parseArguments('  ')).toEqual({ ok: true, args: {}, repaired: false });
  });

  it('validates with zod 3 schemas too', async () => {
    const lookup = tool({
      name: 'lookup',
      description: 'Look up',
      parameters: z3.object({ id: z3.number().int() }),
      execute: noop,
    });
    expect(await lookup.parseArguments('{"id": 3}')).toEqual({ ok: true, args: { id: 3 }, repaired: false });
    const { error } = await failure(lookup.parseArguments('{"id": "3"}'));
    expect(error.issues).toEqual([
      {
        path: ['id'],
        message: 'Expected number, received string',
        code: 'invalid_type',
        received: 'string "3"',
      },
    ]);
  });

  it('runs async refinements and returns transformed output', async () => {
    const slug = tool({
      name: 'slug',
      description: 'Slug',
      parameters: z.object({
        text: z
          .string()
          .refine(async (value) => value !== 'taken', 'already taken')
          .transform((value) => value.toLowerCase()),
      }),
      execute: noop,
    });
    expect(await slug.parseArguments('{"text":"Hello"}')).toEqual({
      ok: true,
      args: { text: 'hello' },
      repaired: false,
    });
    const { error } = await failure(slug.parseArguments('{"text":"taken"}'));
    expect(error.issues[0]?.message).toBe('already taken');
  });
});

describe('parseArguments: hostile model output', () => {
  it('reports wrong types with the field, what was expected and what was received', async () => {
    const { error, content } = await failure(
      weather.parseArguments('{"city": 42, "days": 9, "units": "k"}', { callId: 'call_00_x' }),
    );
    expect(error.kind).toBe('validation');
    expect(error.toolName).toBe('get_weather');
    expect(error.callId).toBe('call_00_x');
    expect(error.rawArguments).toBe('{"city": 42, "days": 9, "units": "k"}');
    expect(error.issues.map((issue) => [issue.path, issue.code, issue.received])).toEqual([
      [['city'], 'invalid_type', 'number 42'],
      [['days'], 'too_big', 'number 9'],
      [['units'], 'invalid_value', 'string "k"'],
    ]);
    expect(content).toMatchInlineSnapshot(`
      "Error: Invalid arguments for tool "get_weather":
      - city: Invalid input: expected string, received number
      - days: Too big: expected number to be <=7 (received: number 9)
      - units: Invalid option: expected one of "c"|"f" (received: string "k")
      Fix the arguments and call the tool again."
    `);
  });

  it('reports a missing required field', async () => {
    const { error } = await failure(weather.parseArguments('{"days": 2}'));
    expect(error.issues).toEqual([
      {
        path: ['city'],
        message: 'Invalid input: expected string, received undefined',
        code: 'invalid_type',
        received: 'missing',
      },
    ]);
  });

  it('reports JSON that is not an object', async () => {
    for (const raw of ['null', '[1]', '"Paris"', '42']) {
      const { error } = await failure(weather.parseArguments(raw));
      expect(error.kind).toBe('validation');
      expect(error.issues[0]?.path).toEqual([]);
    }
  });

  it('reports JSON it cannot repair as invalid_json', async () => {
    const { error, content } = await failure(weather.parseArguments('{"city": "Paris"} {"city": "Rome"}'));
    expect(error.kind).toBe('invalid_json');
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(content).toMatch(/^Error: The arguments for tool "get_weather" are not valid JSON \(.+\)\./);
    expect(content).toMatch(/Fix the arguments and call the tool again\.$/);
  });

  it('reports empty arguments for a tool that has parameters', async () => {
    const { error } = await failure(weather.parseArguments(''));
    expect(error.kind).toBe('invalid_json');
    expect(error.message).toMatch(/were empty/);
  });

  it.each([
    ['an unterminated string', '{"city": "Par'],
    ['an unclosed object', '{"city": "Paris", "days": 2'],
    ['an unclosed array', '{"city": "Paris", "tags": ["a", "b"'],
    ['a cut after a key', '{"city": "Paris", "units":'],
  ])('rejects truncated arguments (%s) instead of repairing them', async (_label, raw) => {
    // A repair could close these into a valid-looking call with fields missing.
    const { error, content } = await failure(weather.parseArguments(raw));
    expect(error.kind).toBe('truncated');
    expect(content).toMatch(/were truncated/);
    expect(content).toMatch(/not run/);
  });

  it('rejects arguments from a turn that ended with finish_reason "length", even when they parse', async () => {
    const { error, content } = await failure(
      weather.parseArguments('{"city": "Paris"}', { finishReason: 'length', callId: 'call_1' }),
    );
    expect(error.kind).toBe('truncated');
    expect(content).toMatchInlineSnapshot(`
      "Error: The arguments for tool "get_weather" were truncated (the response hit the output token limit), so the call was not run. Send the complete arguments; if they are long, make them shorter.
      Fix the arguments and call the tool again."
    `);
  });

  it.each([
    ['insufficient_system_resource', /the server cut the response short/],
    ['aborted', /the response was aborted before it was complete/],
  ] as const)(
    'rejects arguments from a turn cut off with finish_reason %j (partial output)',
    async (reason, why) => {
      const { error, content } = await failure(
        weather.parseArguments('{"city": "Paris"}', { finishReason: reason }),
      );
      expect(error.kind).toBe('truncated');
      expect(content).toMatch(why);
      expect(content).toMatch(/so the call was not run/);
    },
  );

  it.each(['tool_calls', 'stop', null, undefined] as const)('accepts finish reason %j', async (reason) => {
    const result = await weather.parseArguments('{"city": "Paris"}', { finishReason: reason });
    expect(result.ok).toBe(true);
  });

  it('never rejects or throws on arguments nested thousands of levels deep', async () => {
    const Node = z.object({
      name: z.string().optional(),
      get children() {
        return z.array(Node);
      },
    });
    const depth = 20_000;
    const raw = `{"root":${'{"children":['.repeat(depth)}${']}'.repeat(depth)}}`;
    for (const strict of [true, false]) {
      const tree = tool({
        name: 'tree',
        description: 'Tree',
        strict,
        parameters: z.object({ root: Node }),
        execute: noop,
      });
      const { error, content } = await failure(tree.parseArguments(raw, { callId: 'call_deep' }));
      expect(error).toMatchObject({ kind: 'validation', callId: 'call_deep' });
      expect(content).toMatch(/^Error: .*tool "tree"/);
    }
  });

  it('turns a validator that throws into a validation error', async () => {
    const broken = tool({
      name: 'broken',
      description: 'Broken',
      parameters: z.object({
        a: z.string().refine(() => {
          throw new Error('boom');
        }),
      }),
      execute: noop,
    });
    const { error } = await failure(broken.parseArguments('{"a":"x"}'));
    expect(error.issues[0]?.message).toBe('the validator threw: boom');
  });
});

describe('parseArguments: strict mode', () => {
  const search = tool({
    name: 'search',
    description: 'Search',
    strict: true,
    parameters: z.object({
      query: z.string(),
      limit: z.number().int().default(10),
      lang: z.string().optional(),
      cursor: z.string().nullable(),
      filters: z.array(z.object({ field: z.string(), value: z.string().optional() })).optional(),
    }),
    execute: noop,
  });

  it('maps null back to "missing" for optional fields so .optional() and .default() still work', async () => {
    const result = await search.parseArguments(
      '{"query":"q","limit":null,"lang":null,"cursor":null,"filters":[{"field":"a","value":null}]}',
    );
    expect(result).toEqual({
      ok: true,
      args: { query: 'q', limit: 10, cursor: null, filters: [{ field: 'a' }] },
      repaired: false,
    });
  });

  it('rejects unknown fields, nested too, together with other issues', async () => {
    const { error, content } = await failure(
      search.parseArguments(
        '{"query":1,"limit":null,"lang":null,"cursor":null,"filters":[{"field":"a","value":null,"op":"eq"}],"extra":true}',
      ),
    );
    expect(error.kind).toBe('validation');
    expect(error.issues.map((issue) => [issue.path, issue.code])).toEqual([
      [['filters', 0, 'op'], 'unrecognized_keys'],
      [['extra'], 'unrecognized_keys'],
      [['query'], 'invalid_type'],
    ]);
    expect(content).toMatchInlineSnapshot(`
      "Error: Invalid arguments for tool "search":
      - filters[0].op: Unrecognized key "op": this tool does not accept it; remove it (received: string "eq")
      - extra: Unrecognized key "extra": this tool does not accept it; remove it (received: boolean true)
      - query: Invalid input: expected string, received number
      Fix the arguments and call the tool again."
    `);
  });

  it('keeps enforcing, with zod, the keywords strict mode moved into descriptions', async () => {
    const tagger = tool({
      name: 'tagger',
      description: 'Tag',
      strict: true,
      parameters: z3.object({ name: z3.string().min(3).max(5), tags: z3.array(z3.string()).min(1).max(2) }),
      execute: noop,
    });
    const zod4Tagger = tool({
      name: 'tagger',
      description: 'Tag',
      strict: true,
      parameters: z.object({ name: z.string().min(3).max(5), tags: z.array(z.string()).min(1).max(2) }),
      execute: noop,
    });
    for (const candidate of [tagger, zod4Tagger]) {
      const sent = JSON.stringify(candidate.definition);
      expect(sent).not.toMatch(/"(minLength|maxLength|minItems|maxItems)"/);
      expect(sent).toContain('(minLength: 3, maxLength: 5)');
      for (const raw of [
        '{"name":"ab","tags":["a"]}',
        '{"name":"abcdef","tags":["a"]}',
        '{"name":"abc","tags":[]}',
        '{"name":"abc","tags":["a","b","c"]}',
      ]) {
        const { error } = await failure(candidate.parseArguments(raw));
        expect(error.issues.map((issue) => issue.code)).toEqual([expect.stringMatching(/^too_(small|big)$/)]);
      }
      expect((await candidate.parseArguments('{"name":"abc","tags":["a"]}')).ok).toBe(true);
    }
  });

  it('reports an unknown key once when the zod object is strict too', async () => {
    for (const parameters of [z.strictObject({ a: z.string() }), z3.object({ a: z3.string() }).strict()]) {
      const closed = tool({ name: 'closed', description: 'Closed', strict: true, parameters, execute: noop });
      const { error } = await failure(closed.parseArguments('{"a":"x","b":1}'));
      expect(error.issues.map((issue) => [issue.path, issue.code])).toEqual([[['b'], 'unrecognized_keys']]);
    }
  });

  it('checks unknown fields against the union option that matches', async () => {
    const act = tool({
      name: 'act',
      description: 'Act',
      strict: true,
      parameters: z.object({
        action: z.union([
          z.object({ move: z.string(), speed: z.number().optional() }),
          z.object({ stop: z.boolean() }),
        ]),
      }),
      execute: noop,
    });
    expect(await act.parseArguments('{"action":{"move":"n","speed":null}}')).toEqual({
      ok: true,
      args: { action: { move: 'n' } },
      repaired: false,
    });
    const { error } = await failure(act.parseArguments('{"action":{"stop":true,"why":"x"}}'));
    expect(error.issues[0]).toMatchObject({ path: ['action', 'why'], code: 'unrecognized_keys' });
  });

  it('follows recursive definitions', async () => {
    const Node = z.object({
      name: z.string(),
      note: z.string().optional(),
      get children() {
        return z.array(Node);
      },
    });
    const tree = tool({
      name: 'tree',
      description: 'Tree',
      strict: true,
      parameters: z.object({ root: Node }),
      execute: noop,
    });
    const result = await tree.parseArguments(
      '{"root":{"name":"a","note":null,"children":[{"name":"b","note":"x","children":[]}]}}',
    );
    expect(result).toEqual({
      ok: true,
      args: { root: { name: 'a', children: [{ name: 'b', note: 'x', children: [] }] } },
      repaired: false,
    });
    const { error } = await failure(
      tree.parseArguments(
        '{"root":{"name":"a","note":null,"children":[{"name":"b","note":null,"children":[],"bad":1}]}}',
      ),
    );
    expect(error.issues[0]?.path).toEqual(['root', 'children', 0, 'bad']);
  });
});
