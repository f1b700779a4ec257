import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PreflightError } from '../../errors/errors.js';
import { deepFreeze } from '../../wire/frozen.js';
import type { ChatCompletionCreateParamsBase, ChatMessage } from '../../wire/wire-types.js';
import { promiseAppendOnly, revokeAppendOnly } from './append-only.js';
import { preflightChat } from './preflight.js';

const tools: ChatCompletionCreateParamsBase['tools'] = [
  { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } },
];

/** The rule and field of the check's error, or 'ok'. */
function outcome(params: ChatCompletionCreateParamsBase): string {
  try {
    preflightChat(params, true);
    return 'ok';
  } catch (error) {
    if (error instanceof PreflightError) return `${error.rule} ${error.field}`;
    throw error;
  }
}

/** The same request with unfrozen copies of every message: nothing kept applies, a check from the start. */
function fresh(params: ChatCompletionCreateParamsBase): string {
  return outcome({ ...params, messages: structuredClone(params.messages) });
}

const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } } as const;

// Valid and invalid messages, mixed at random: every rule of the history has a way to break.
const message = fc.oneof(
  fc.constant<ChatMessage>({ role: 'user', content: 'hi' }),
  fc.constant<ChatMessage>({ role: 'system', content: 'be brief' }),
  fc.constant<ChatMessage>({ role: 'assistant', content: 'a', reasoning_content: 'r' }),
  fc.constant<ChatMessage>({ role: 'assistant', content: 'a' }),
  fc.constant<ChatMessage>({ role: 'assistant', content: 'a', reasoning_content: '', prefix: true }),
  fc.constant<ChatMessage>({ role: 'assistant', content: 'p', prefix: true }),
  fc.constantFrom('c1', 'c2').map<ChatMessage>((id) => ({
    role: 'assistant',
    content: '',
    reasoning_content: '',
    tool_calls: [{ id, type: 'function', function: { name: 'f', arguments: '{}' } }],
  })),
  fc
    .constantFrom('c1', 'c2', '')
    .map<ChatMessage>((id) => ({ role: 'tool', tool_call_id: id, content: 'r' })),
  fc.constant({ role: 'developer', content: 'x' } as unknown as ChatMessage),
  fc.constant<ChatMessage>({ role: 'user', content: [{ type: 'text', text: 'see' }, image] }),
  fc.constant({ role: 'assistant', content: [image], reasoning_content: '' } as unknown as ChatMessage),
);

describe('incremental pre-flight of an append-only history', () => {
  it('reports exactly what a check from the start reports, request after request (random histories)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, fc.boolean()), { minLength: 1, maxLength: 14 }),
        fc.constantFrom('deepseek-flash', 'deepseek-v4-pro'),
        fc.boolean(),
        (steps, model, thinking) => {
          // One array grows, like an agent's history; most messages are frozen (kept), some not.
          const messages: ChatMessage[] = [];
          for (const [each, freeze] of steps) {
            const copy = structuredClone(each);
            messages.push(freeze ? deepFreeze(copy) : copy);
            const params: ChatCompletionCreateParamsBase = {
              model,
              messages,
              tools,
              ...(thinking ? {} : { thinking: { type: 'disabled' as const } }),
            };
            expect(outcome(params)).toBe(fresh(params));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sees a mutated earlier message that is not frozen', () => {
    const answer: ChatMessage = { role: 'assistant', content: 'a', reasoning_content: 'r' };
    const messages: ChatMessage[] = [deepFreeze({ role: 'user', content: 'hi' }), answer];
    const params = { model: 'deepseek-flash', messages, tools };
    expect(outcome(params)).toBe('ok');
    messages.push(deepFreeze({ role: 'user', content: 'more' }));
    expect(outcome(params)).toBe('ok');
    // The caller changes a message that was already checked and sent.
    delete (answer as { reasoning_content?: string }).reasoning_content;
    messages.push(deepFreeze({ role: 'user', content: 'again' }));
    expect(outcome(params)).toBe('reasoning-content-replay messages[1].reasoning_content');
  });

  it('a frozen message cannot be mutated, and replacing one is seen', () => {
    const messages: ChatMessage[] = [
      deepFreeze<ChatMessage>({ role: 'user', content: 'hi' }),
      deepFreeze<ChatMessage>({ role: 'assistant', content: 'a', reasoning_content: 'r' }),
      deepFreeze<ChatMessage>({ role: 'user', content: 'more' }),
    ];
    const params = { model: 'deepseek-flash', messages, tools };
    expect(outcome(params)).toBe('ok');
    expect(() => {
      delete (messages[1] as { reasoning_content?: string }).reasoning_content;
    }).toThrow(TypeError);
    messages[1] = deepFreeze<ChatMessage>({ role: 'assistant', content: 'a' });
    expect(outcome(params)).toBe('reasoning-content-replay messages[1].reasoning_content');
    messages[1] = deepFreeze({ role: 'developer', content: 'a' } as unknown as ChatMessage);
    expect(outcome(params)).toBe('developer-role messages[1].role');
    messages.splice(1, 2);
    messages.push(deepFreeze<ChatMessage>({ role: 'tool', tool_call_id: 'c1', content: 'r' }));
    expect(outcome(params)).toBe('tool-message-without-call messages[1].tool_call_id');
  });

  it('trusts the checked prefix of an array promised append-only, and checks it again once revoked', () => {
    const messages: ChatMessage[] = [
      deepFreeze<ChatMessage>({ role: 'user', content: 'hi' }),
      deepFreeze<ChatMessage>({ role: 'assistant', content: 'a', reasoning_content: 'r' }),
    ];
    promiseAppendOnly(messages);
    const params = { model: 'deepseek-flash', messages, tools };
    expect(outcome(params)).toBe('ok');
    messages.push(deepFreeze<ChatMessage>({ role: 'developer', content: 'x' } as unknown as ChatMessage));
    expect(outcome(params)).toBe('developer-role messages[2].role'); // what is appended is checked
    messages.pop(); // (breaks the promise, as the next line does)
    messages[1] = deepFreeze<ChatMessage>({ role: 'assistant', content: 'a' });
    expect(outcome(params)).toBe('ok'); // the kept prefix is trusted: not compared, not checked again
    revokeAppendOnly(messages);
    expect(outcome(params)).toBe('reasoning-content-replay messages[1].reasoning_content');
  });

  it('a prefix assistant message is exempt only while it is last', () => {
    const messages: ChatMessage[] = [
      deepFreeze<ChatMessage>({ role: 'user', content: 'hi' }),
      deepFreeze<ChatMessage>({ role: 'assistant', content: 'Sure', prefix: true }),
    ];
    const params = { model: 'deepseek-flash', messages, tools };
    expect(outcome(params)).toBe('ok');
    messages.push(deepFreeze<ChatMessage>({ role: 'user', content: 'go on' }));
    expect(outcome(params)).toBe('reasoning-content-replay messages[1].reasoning_content');
  });

  it('a request for another model or mode checks from the start', () => {
    const messages: ChatMessage[] = [deepFreeze<ChatMessage>({ role: 'user', content: [image] })];
    expect(outcome({ model: 'deepseek-flash', messages })).toBe('ok');
    expect(outcome({ model: 'deepseek-v4-pro', messages })).toBe(
      'image-on-text-model messages[0].content[0]',
    );
    const turns: ChatMessage[] = [
      deepFreeze<ChatMessage>({ role: 'user', content: 'hi' }),
      deepFreeze<ChatMessage>({ role: 'assistant', content: 'a' }),
      deepFreeze<ChatMessage>({ role: 'user', content: 'more' }),
    ];
    expect(outcome({ model: 'deepseek-flash', messages: turns })).toBe('ok');
    expect(outcome({ model: 'deepseek-flash', messages: turns, tools })).toBe(
      'reasoning-content-replay messages[1].reasoning_content',
    );
  });

  it('counts the images of the kept messages toward the limit of 600', () => {
    const messages: ChatMessage[] = [];
    for (let i = 0; i < 6; i++) {
      messages.push(deepFreeze<ChatMessage>({ role: 'user', content: Array(100).fill(image) }));
    }
    expect(outcome({ model: 'deepseek-flash', messages })).toBe('ok');
    messages.push(deepFreeze<ChatMessage>({ role: 'user', content: [image] }));
    expect(outcome({ model: 'deepseek-flash', messages })).toBe('too-many-images messages');
  });
});
