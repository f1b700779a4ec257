import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wireJson } from '../../streaming/text.js';
import { deepFreeze } from '../../wire/frozen.js';
import { promiseAppendOnly, revokeAppendOnly } from './append-only.js';
import { bodyJson } from './body-json.js';

// Any JSON-like value, with lone surrogates, empty keys, numeric keys, __proto__-like keys.
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.constantFrom('\ud83d', '\ude00', 'a', '\\', '"', '\n', '\u2028') }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('0', '12', 'toJSON', 'role')), tie('any'), {
      maxKeys: 4,
    }),
  ),
})).any;

const message = fc.oneof(
  fc.record({ role: fc.constantFrom('user', 'system'), content: fc.string({ unit: 'binary' }) }),
  fc.record(
    {
      role: fc.constant('assistant'),
      content: fc.string(),
      reasoning_content: fc.string(),
      tool_calls: fc.array(
        fc.record({
          id: fc.string(),
          type: fc.constant('function'),
          function: fc.record({ name: fc.string(), arguments: fc.string({ unit: 'binary' }) }),
        }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['role'] },
  ),
  fc.dictionary(fc.string(), value, { maxKeys: 5 }),
);

function expectSame(body: unknown): void {
  expect(bodyJson(body)).toBe(wireJson(body));
}

describe('bodyJson: the request body with the history serialized incrementally', () => {
  it('is byte for byte wireJson (JSON.stringify) across random bodies, frozen or not', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), value, { maxKeys: 4 }),
        fc.array(fc.tuple(message, fc.boolean()), { maxLength: 8 }),
        fc.nat({ max: 4 }),
        (rest, items, at) => {
          const keys = Object.entries(rest);
          const entries = [...keys.slice(0, at), ['messages', [] as unknown[]], ...keys.slice(at)] as const;
          const body = Object.fromEntries(entries) as Record<string, unknown>;
          const messages = body.messages as unknown[];
          if (!Array.isArray(messages)) return;
          // Grows like an agent's history; every request compared.
          for (const [each, freeze] of items) {
            messages.push(freeze ? deepFreeze(structuredClone(each)) : structuredClone(each));
            expectSame(body);
          }
          expectSame(body);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('equals JSON.stringify for well-formed text', () => {
    const messages = [deepFreeze({ role: 'user', content: 'é 😀 "q" \\ \n' })];
    const body = { model: 'm', messages, stream: true, stream_options: { include_usage: true } };
    expect(bodyJson(body)).toBe(JSON.stringify(body));
    messages.push(deepFreeze({ role: 'assistant', content: 'x' }));
    expect(bodyJson(body)).toBe(JSON.stringify(body));
  });

  it('sees a caller mutating a message that is not frozen, every time', () => {
    const user = { role: 'user', content: 'first' };
    const messages: unknown[] = [deepFreeze({ role: 'system', content: 's' }), user];
    const body = { model: 'm', messages };
    expectSame(body);
    messages.push(deepFreeze({ role: 'assistant', content: 'a' }));
    expectSame(body);
    user.content = 'changed';
    expect(bodyJson(body)).toContain('changed');
    expectSame(body);
    (messages[2] as unknown[] | undefined) = undefined;
    expectSame(body);
  });

  it('sees frozen messages replaced, removed or reordered', () => {
    const a = deepFreeze({ role: 'user', content: 'a' });
    const b = deepFreeze({ role: 'assistant', content: 'b' });
    const c = deepFreeze({ role: 'user', content: 'c' });
    const messages: unknown[] = [a, b, c];
    const body = { model: 'm', messages };
    expectSame(body);
    messages[1] = deepFreeze({ role: 'assistant', content: 'B' });
    expectSame(body);
    messages.splice(0, 1);
    expectSame(body);
    messages.reverse();
    expectSame(body);
    messages.length = 0;
    expectSame(body);
    messages.push(c, a);
    expectSame(body);
  });

  it('trusts the kept prefix of an array promised append-only, and compares it again once revoked', () => {
    const a = deepFreeze({ role: 'user', content: 'a' });
    const b = deepFreeze({ role: 'assistant', content: 'b' });
    const messages: unknown[] = [a, b];
    promiseAppendOnly(messages);
    const body = { model: 'm', messages };
    expectSame(body);
    messages.push(deepFreeze({ role: 'user', content: 'c' }));
    expectSame(body); // appending is what the promise allows
    // Breaking the promise is not seen (no comparison: that is the point of the promise)...
    messages[0] = deepFreeze({ role: 'user', content: 'A' });
    expect(bodyJson(body)).toContain('"content":"a"');
    // ...until it is revoked: then the prefix is compared, and the text rebuilt.
    revokeAppendOnly(messages);
    expectSame(body);
    promiseAppendOnly(messages); // a revoked promise cannot be made again
    messages[1] = deepFreeze({ role: 'assistant', content: 'B' });
    expectSame(body);
  });

  it('treats getters, toJSON and class instances as things that may change', () => {
    let n = 0;
    const getter = Object.freeze(
      Object.defineProperty({ role: 'user' }, 'content', { get: () => `n${n}`, enumerable: true }),
    );
    const withToJSON = Object.freeze({ role: 'user', toJSON: (key: string) => `key ${key} ${n}` });
    class Message {
      role = 'user';
      content = 'x';
    }
    const instance = Object.freeze(new Message());
    const messages: unknown[] = [getter, instance];
    const body = { model: 'm', messages, when: { toJSON: (key: string) => key } };
    expectSame(body);
    messages.push(withToJSON);
    expectSame(body);
    n = 7;
    expectSame(body);
    expect(bodyJson(body)).toContain('"n7"');
    expect(bodyJson(body)).toContain('"key 2 7"');
  });

  it('reports a cycle as JSON.stringify does', () => {
    const loop: Record<string, unknown> = { role: 'user' };
    loop.self = loop;
    Object.freeze(loop);
    expect(() => bodyJson({ model: 'm', messages: [loop] })).toThrow(TypeError);
  });
});

describe('bodyJson: other fields', () => {
  it('serializes a frozen field once and an unfrozen one every time, the same bytes', () => {
    const tools = deepFreeze([{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }]);
    const format = { type: 'text' };
    const body = { model: 'm', messages: [deepFreeze({ role: 'user', content: 'hi' })], tools, format };
    expectSame(body);
    format.type = 'json_object';
    expectSame(body);
    expect(bodyJson(body)).toContain('json_object');
  });
});

describe('bodyJson: a streamed body, written without copying it', () => {
  const INCLUDE = deepFreeze({ include_usage: true });
  const expectStreamed = (body: unknown, streamOptions: object = INCLUDE) =>
    expect(bodyJson(body, streamOptions)).toBe(
      wireJson({ ...(body as object), stream: true, stream_options: streamOptions }),
    );

  it('is byte for byte the spread { ...body, stream: true, stream_options } across random bodies', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('stream', 'stream_options')), value, {
          maxKeys: 4,
        }),
        fc.array(fc.tuple(message, fc.boolean()), { maxLength: 6 }),
        fc.nat({ max: 4 }),
        fc.boolean(),
        (rest, items, at, frozenOptions) => {
          const keys = Object.entries(rest);
          const entries = [...keys.slice(0, at), ['messages', [] as unknown[]], ...keys.slice(at)] as const;
          const body = Object.fromEntries(entries) as Record<string, unknown>;
          const messages = body.messages as unknown[];
          if (!Array.isArray(messages)) return;
          const options = frozenOptions ? INCLUDE : { include_usage: false };
          for (const [each, freeze] of items) {
            messages.push(freeze ? deepFreeze(structuredClone(each)) : structuredClone(each));
            expectStreamed(body, options);
          }
          expectStreamed(body, options);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the place of a stream or stream_options field the body has itself, as a spread does', () => {
    const messages = [deepFreeze({ role: 'user', content: 'hi' })];
    expectStreamed({ stream: false, model: 'm', messages });
    expectStreamed(
      { model: 'm', stream_options: { include_usage: false }, messages },
      { include_usage: false },
    );
    expectStreamed({ model: 'm', stream_options: undefined, messages });
    expect(bodyJson({ stream: false, model: 'm', messages }, INCLUDE)).toBe(
      '{"stream":true,"model":"m","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}',
    );
  });

  it('writes the two fields last for a plain body without them', () => {
    expect(bodyJson({ model: 'm', messages: [] }, INCLUDE)).toBe(
      '{"model":"m","messages":[],"stream":true,"stream_options":{"include_usage":true}}',
    );
    expect(bodyJson({ messages: [] }, INCLUDE)).toBe(
      '{"messages":[],"stream":true,"stream_options":{"include_usage":true}}',
    );
  });

  it('copies a body it cannot append to: a class instance, toJSON, no messages array, a message with toJSON', () => {
    class Params {
      model = 'm';
      messages = [{ role: 'user', content: 'hi' }];
    }
    expectStreamed(new Params());
    expectStreamed({ model: 'm', messages: [], toJSON: () => ({ replaced: true }) });
    expectStreamed({ model: 'm', prompt: 'def f(' });
    expectStreamed({ model: 'm', messages: [{ role: 'user', content: 'a', toJSON: () => 'x' }] });
    expectStreamed({
      model: 'm',
      messages: [deepFreeze({ role: 'user', content: 'a' })],
      extra: { toJSON: () => 1 },
    });
  });
});
