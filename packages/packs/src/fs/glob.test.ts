import { describe, expect, it } from 'vitest';
import { PackInputError } from '../errors.js';
import { compileGlob, matchSegment } from './glob.js';

const matches = (pattern: string, relativePath: string, caseSensitive = true) =>
  compileGlob(pattern, { caseSensitive }).matches(relativePath, relativePath.split('/').at(-1)!);

describe('compileGlob', () => {
  it.each([
    ['*.ts', 'src/a.ts', true],
    ['*.ts', 'src/a.tsx', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['[abc].md', 'b.md', true],
    ['[!abc].md', 'b.md', false],
    ['[a-c]x', 'cx', true],
    ['*.{ts,tsx}', 'x/y.tsx', true],
    ['*.{ts,tsx}', 'y.js', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**/*.ts', 'lib/a.ts', false],
    ['src/*.ts', 'src/a/b.ts', false],
    ['**/test/*', 'a/b/test/x', true],
    ['src/**', 'src/a/b', true],
    ['{src,lib}/{a,b{1,2}}.ts', 'lib/b2.ts', true],
    ['\\*.md', '*.md', true],
    ['\\*.md', 'a.md', false],
  ])('%s on %s -> %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it('ignores case unless asked not to', () => {
    expect(matches('*.MD', 'readme.md', false)).toBe(true);
    expect(matches('*.MD', 'readme.md', true)).toBe(false);
  });

  it('matches hostile patterns in bounded time (no regex backtracking)', () => {
    const name = 'a'.repeat(5000);
    expect(matchSegment(`${'*a'.repeat(200)}*b`, name)).toBe(false);
    const deep = Array.from({ length: 200 }, () => 'a').join('/');
    expect(matches(`${'**/'.repeat(100)}b`, deep)).toBe(false);
  });

  it('refuses empty, too long, unbalanced or exploding patterns', () => {
    expect(() => compileGlob('', { caseSensitive: true })).toThrow(PackInputError);
    expect(() => compileGlob('x'.repeat(501), { caseSensitive: true })).toThrow(/1 to 500/);
    expect(() => compileGlob('{a,b', { caseSensitive: true })).toThrow(/without a matching/);
    expect(() => compileGlob('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}', { caseSensitive: true })).toThrow(
      /64 alternatives/,
    );
  });
});

describe('unsupported glob syntax', () => {
  it.each([
    ['!*.ts', 'negation'],
    ['!(*.test).ts', 'an extended glob'],
    ['+(a|b).ts', 'an extended glob'],
    ['@(a|b).ts', 'an extended glob'],
    ['*(a|b).ts', 'an extended glob'],
    ['src/**/?(x).ts', 'an extended glob'],
    ['file[1.txt', 'without a closing'],
  ])('refuses %s with a message the model can act on', (pattern, what) => {
    const error = (() => {
      try {
        compileGlob(pattern, { caseSensitive: true });
      } catch (caught) {
        return caught as PackInputError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(PackInputError);
    expect(error.code).toBe('unsupported_glob');
    expect(error.message).toContain(what);
    expect(error.message).toMatch(/Supported: \*/);
  });

  it('keeps escaped and ordinary uses of the same characters', () => {
    expect(matches('a\\!(b).txt', 'a!(b).txt')).toBe(true);
    expect(matches('notes (1).txt', 'notes (1).txt')).toBe(true);
    expect(matches('a!b.txt', 'a!b.txt')).toBe(true);
    expect(matches('x\\[1.txt', 'x[1.txt')).toBe(true);
  });
});

// A model-written pattern of 1 MB is refused by length; within the length limit the matcher
// stays O(name length x pattern length) (the bench's "hostile input" scenario records the times).
describe('1 MB hostile patterns', () => {
  it('are refused by length, before any matching', () => {
    for (const pattern of ['*a'.repeat(500_000), '{a,'.repeat(333_333), '[!'.repeat(500_000)]) {
      expect(() => compileGlob(pattern, { caseSensitive: false })).toThrow(/1 to 500 characters/);
    }
  });

  it('the worst pattern within the limit against the longest name still answers', () => {
    const glob = compileGlob(`${'*a'.repeat(249)}b`, { caseSensitive: true });
    expect(glob.matches('a'.repeat(255), 'a'.repeat(255))).toBe(false);
    expect(matchSegment(`${'*[a-z]'.repeat(80)}!`, 'a'.repeat(4096))).toBe(false);
  });
});
