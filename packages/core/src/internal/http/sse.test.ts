import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAt } from '../../test-helpers.js';
import { type ServerSentEvent, SSEParser } from './sse.js';

const encoder = new TextEncoder();

function parseAll(chunks: Uint8Array[]): { events: ServerSentEvent[]; comments: number } {
  const parser = new SSEParser();
  const events: ServerSentEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return { events, comments: parser.comments };
}

function parseText(text: string): ServerSentEvent[] {
  return parseAll([encoder.encode(text)]).events;
}

/** A deliberately naive reference: decode everything, split lines with a regex, apply the spec. */
function reference(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  let data: string | undefined;
  let event: string | undefined;
  let id: string | undefined;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (data !== undefined) events.push({ event, data, id });
      data = undefined;
      event = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  if (data !== undefined) events.push({ event, data, id });
  return events;
}

describe('SSEParser', () => {
  it('parses data events separated by blank lines', () => {
    expect(parseText('data: {"a":1}\n\ndata: [DONE]\n\n')).toEqual([
      { event: undefined, data: '{"a":1}', id: undefined },
      { event: undefined, data: '[DONE]', id: undefined },
    ]);
  });

  it('accepts CRLF, CR and LF line ends, mixed', () => {
    const events = parseText('data: one\r\n\r\ndata: two\r\rdata: three\n\n');
    expect(events.map((event) => event.data)).toEqual(['one', 'two', 'three']);
  });

  it('keeps a CRLF split across two chunks as one line end', () => {
    const { events } = parseAll([
      encoder.encode('data: a\r'),
      encoder.encode('\n\r'),
      encoder.encode('\ndata: b\n\n'),
    ]);
    expect(events.map((event) => event.data)).toEqual(['a', 'b']);
  });

  it('counts comments (keep-alive) without emitting events', () => {
    const { events, comments } = parseAll([encoder.encode(': keep-alive\n\n: keep-alive\n\ndata: x\n\n')]);
    expect(comments).toBe(2);
    expect(events).toEqual([{ event: undefined, data: 'x', id: undefined }]);
  });

  it('joins multi-line data with \\n and reads event and id fields', () => {
    expect(parseText('event: error\nid: 7\ndata: line 1\ndata:line 2\ndata\n\n')).toEqual([
      { event: 'error', data: 'line 1\nline 2\n', id: '7' },
    ]);
  });

  it('removes only one leading space from a value', () => {
    expect(parseText('data:   spaced\n\n')[0]?.data).toBe('  spaced');
  });

  it('decodes multi-byte UTF-8 split between chunks', () => {
    const bytes = encoder.encode('data: 你好, “quotes” 🎉\n\n');
    const chunks = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(parseAll(chunks).events[0]?.data).toBe('你好, “quotes” 🎉');
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(parseText('\uFEFFdata: x\n\n')[0]?.data).toBe('x');
  });

  it('strips a byte order mark split across chunks, and keeps a U+FEFF that starts a later chunk', () => {
    const bytes = encoder.encode('\uFEFFdata: a\n\ndata: \uFEFFb\n\n');
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2, 15), bytes.subarray(15)];
    expect(parseAll(chunks).events.map((event) => event.data)).toEqual(['a', '\uFEFFb']);
  });

  it('decodes invalid and cut UTF-8 as one streaming TextDecoder does (U+FFFD), for any chunking', () => {
    const payload = fc.array(
      fc.oneof(
        fc.constantFrom(0x0a, 0x61, 0x80, 0xbf, 0xc0, 0xc3, 0xe0, 0xe2, 0xed, 0xf0, 0xf4, 0xf8, 0xff),
        fc.integer({ min: 0, max: 255 }),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(payload, fc.array(fc.nat(), { maxLength: 8 }), (values, cuts) => {
        const body = Uint8Array.from([...encoder.encode('data: '), ...values, 0x0a, 0x0a]);
        const expected = new TextDecoder().decode(body);
        // Expected events: the same text parsed whole, decoded by the platform's streaming decoder.
        const parser = new SSEParser();
        const whole = [...parser.pushText(expected), ...parser.end()];
        expect(parseAll(splitAt(body, cuts)).events).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('dispatches a final event whose blank line never came, and an unterminated last line', () => {
    expect(parseText('data: a\n\ndata: b\n').map((event) => event.data)).toEqual(['a', 'b']);
    expect(parseText('data: a\n\ndata: [DONE]').map((event) => event.data)).toEqual(['a', '[DONE]']);
  });

  it('ignores retry and unknown fields, and does not dispatch events without data', () => {
    expect(parseText('retry: 10\nfoo: bar\n\nevent: ping\n\n')).toEqual([]);
  });

  it('handles a very long line delivered in many small chunks', () => {
    const payload = 'x'.repeat(100_000);
    const bytes = encoder.encode(`data: ${payload}\n\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    expect(parseAll(chunks).events[0]?.data.length).toBe(100_000);
  });

  it('pushText works like push', () => {
    const parser = new SSEParser();
    expect(parser.pushText('data: a\n')).toEqual([]);
    expect(parser.pushText('\n')).toEqual([{ event: undefined, data: 'a', id: undefined }]);
  });
});

const lineText = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', ':', '{', '"', 'é', '你', '🎉', '\\'),
  maxLength: 12,
});
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const sseLine = fc.oneof(
  lineText.map((text) => `data: ${text}`),
  lineText.map((text) => `data:${text}`),
  lineText.map((text) => `: ${text}`),
  lineText.map((text) => `event: ${text}`),
  fc.constant(''),
  fc.constant('data: [DONE]'),
);
const sseText = fc
  .array(fc.tuple(sseLine, lineEnd), { maxLength: 30 })
  .map((lines) => lines.map(([line, end]) => line + end).join(''));

describe('SSEParser (properties)', () => {
  it('gives the same events for any chunking of the bytes', () => {
    fc.assert(
      fc.property(sseText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const bytes = encoder.encode(text);
        expect(parseAll(splitAt(bytes, cuts))).toEqual(parseAll([bytes]));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with a naive regex-based reference parser', () => {
    fc.assert(
      fc.property(sseText, (text) => {
        // The reference cannot see a lone trailing CR as an end of line the same way; end with LF.
        const terminated = `${text}\n`;
        expect(parseText(terminated)).toEqual(reference(terminated));
      }),
      { numRuns: 400 },
    );
  });
});
