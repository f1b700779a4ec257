import { describe, expect, it } from 'vitest';
import { modelNames, sanitizeName } from './names.js';

describe('tool names for DeepSeek', () => {
  it('sanitizes to [a-zA-Z0-9_-] and prefixes with the server name', () => {
    expect(sanitizeName('files.read')).toBe('files_read');
    expect(sanitizeName('  weird   name!! ')).toBe('weird_name');
    expect(sanitizeName('日本')).toBe('tool');
    expect([...modelNames(['read.file', 'get-sum'], 'fs')]).toEqual([
      ['get-sum', 'fs_get-sum'],
      ['read.file', 'fs_read_file'],
    ]);
  });

  it('resolves collisions deterministically, whatever order the server lists the tools in', () => {
    const one = modelNames(['a.b', 'a_b', 'a b'], 's');
    const two = modelNames(['a b', 'a_b', 'a.b'], 's');
    expect([...one]).toEqual([...two]);
    const names = [...one.values()];
    expect(new Set(names).size).toBe(3);
    expect(one.get('a b')).toBe('s_a_b'); // first in code-unit order keeps the clean name
    for (const name of names) expect(name).toMatch(/^s_a_b(_[0-9a-f]{8})?$/);
  });

  it('keeps long names within 64 characters and unique', () => {
    const long = 'x'.repeat(100);
    const names = modelNames([`${long}1`, `${long}2`], 'server');
    const values = [...names.values()];
    expect(values.every((name) => name.length <= 64)).toBe(true);
    expect(new Set(values).size).toBe(2);
  });

  it('prefix "" keeps the server names (sanitized)', () => {
    expect(modelNames(['read'], '').get('read')).toBe('read');
  });
});
