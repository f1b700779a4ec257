import { describe, expect, it } from 'vitest';
import { cutText, toWellFormed } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';
import { wireJson } from './text.js';

const EMOJI = '😀'; // two UTF-16 code units
const LONE_HIGH = EMOJI.slice(0, 1);
const LONE_LOW = EMOJI.slice(1);

describe('well-formed text', () => {
  it('wireJson sends lone surrogates as U+FFFD and leaves pairs and escaped backslashes alone', () => {
    const body = {
      a: `cut ${LONE_HIGH}`,
      b: `${LONE_LOW} start`,
      c: EMOJI,
      d: '\\ud83d is text',
      e: `\\${LONE_HIGH}`,
    };
    const json = wireJson(body);
    expect(json).not.toMatch(/(?<!\\)\\ud[89a-f]/);
    expect(JSON.parse(json)).toEqual({
      a: 'cut \ufffd',
      b: '\ufffd start',
      c: EMOJI,
      d: '\\ud83d is text',
      e: '\\\ufffd',
    });
    expect(wireJson({ plain: 'no surrogates' })).toBe(JSON.stringify({ plain: 'no surrogates' }));
  });

  it('toWellFormed and cutText never leave half an emoji', () => {
    expect(toWellFormed(`a${LONE_HIGH}b${EMOJI}`)).toBe(`a\ufffdb${EMOJI}`);
    expect(cutText(`ab${EMOJI}`, 3)).toBe('ab');
    expect(cutText(`ab${EMOJI}`, 4)).toBe(`ab${EMOJI}`);
    expect(cutText('abc', 10)).toBe('abc');
  });

  it('a request holding a lone surrogate (a .slice() through an emoji) reaches DeepSeek well-formed', async () => {
    const emulator = await emulate();
    const toolResult = `result ${EMOJI.repeat(3)}`.slice(0, 10); // ends in half an emoji
    await clientFor().chat.completions.create({
      model: 'deepseek-flash',
      messages: [{ role: 'user', content: toolResult }],
    });
    const raw = emulator.requests[0]!.rawBody;
    expect(raw).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/);
    expect(emulator.requests[0]!.body.messages[0].content).toBe(`${toolResult.slice(0, -1)}\ufffd`);
  });
});
