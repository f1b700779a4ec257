import { describe, expect, it } from 'vitest';
import { findJsonSyntaxProblem, formatPath, locateValueEnd } from './json-scan.js';

describe('findJsonSyntaxProblem', () => {
  it('accepts valid JSON', () => {
    expect(findJsonSyntaxProblem('{"a":[1,2.5e3,true,null,"x\\u00e9"]}')).toBeUndefined();
  });

  it.each([
    ['', 'EOF while parsing a value', 1, 0],
    ['{"a":', 'EOF while parsing a value', 1, 5],
    ['{"a":1', 'EOF while parsing an object', 1, 6],
    ['{"a":[1,', 'EOF while parsing a value', 1, 8],
    ['{"a":[1', 'EOF while parsing a list', 1, 7],
    ['{"a":}', 'expected value', 1, 6],
    ['{"a" 1}', 'expected `:`', 1, 6],
    ['{"a":1 "b":2}', 'expected `,` or `}`', 1, 8],
    ['[1 2]', 'expected `,` or `]`', 1, 4],
    ['{"a":1,}', 'trailing comma', 1, 8],
    ['{a:1}', 'key must be a string', 1, 2],
    ['{} x', 'trailing characters', 1, 4],
    ['{"a":"b', 'EOF while parsing a string', 1, 7],
    ['{"a":\n  tru}', 'expected ident', 2, 6],
    ['{"a":"\\q"}', 'invalid escape', 1, 8],
    ['{"a":01}', 'invalid number', 1, 7],
  ])('reports %j like serde: %s', (text, message, line, column) => {
    expect(findJsonSyntaxProblem(text)).toMatchObject({ message, line, column });
  });

  it('puts punctuation errors on the container path and value errors on the member path', () => {
    expect(findJsonSyntaxProblem('{"messages":[{"a":1 "b"}]}')).toMatchObject({ path: 'messages[0]' });
    expect(findJsonSyntaxProblem('{"messages":[')).toMatchObject({
      path: 'messages',
      message: 'EOF while parsing a list',
    });
    expect(findJsonSyntaxProblem('{"model":tru}')).toMatchObject({
      path: 'model',
      message: 'expected ident',
    });
  });

  it('names the path and rejects lone surrogates, as serde does', () => {
    const text = '{"messages":[{"role":"user","content":"x\\ud83d"}]}';
    expect(findJsonSyntaxProblem(text)).toMatchObject({
      path: 'messages[0].content',
      message: 'unexpected end of hex escape',
    });
    expect(findJsonSyntaxProblem('{"a":"\\udc00"}')).toMatchObject({
      message: 'lone leading surrogate in hex escape',
    });
    expect(findJsonSyntaxProblem('{"a":"\\ud83d\\ude00"}')).toBeUndefined();
  });

  it('reports control characters inside strings', () => {
    expect(findJsonSyntaxProblem('{"a":"\u0001"}')?.message).toBe(
      'control character (\\u0000-\\u001F) found while parsing a string',
    );
  });

  it('counts columns in bytes, like serde', () => {
    expect(findJsonSyntaxProblem('{"é":}')).toMatchObject({ column: 7 });
  });
});

describe('locateValueEnd', () => {
  it('points at the last character of the value at a path', () => {
    const text = '{"model":"x","messages":[{"role":"developer"}]}';
    expect(locateValueEnd(text, 'messages[0].role')).toEqual({ line: 1, column: text.indexOf('"}') + 1 });
    expect(locateValueEnd(text, '')).toEqual({ line: 1, column: text.length });
  });

  it('formats serde_path_to_error paths', () => {
    expect(formatPath(['messages', 3, 'content'])).toBe('messages[3].content');
    expect(formatPath([])).toBe('');
  });
});
