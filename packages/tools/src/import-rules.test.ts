import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// zod-to-json-schema returns an empty schema for a zod 4 schema. So the file that uses it may see
// zod 3 schemas only, and must not import zod (`zod`, `zod/v4`, ...) itself: then a zod 4 schema
// can never be built or converted next to it by mistake. Checked for every file of src, tests too.
const src = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.split('\\').join('/'))
  .sort();

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(`${src}/${file}`, 'utf8');
  return [...text.matchAll(SPECIFIER)].map((match) => match[1]!);
}

const isZod = (specifier: string) => specifier === 'zod' || specifier.startsWith('zod/');
const isSource = (file: string) => !/\.test(-d)?\.ts$/.test(file) && !file.includes('__fixtures__/');

describe('import rules', () => {
  it('reads import specifiers (self-check of this test)', () => {
    expect(importsOf('schema/zod4.ts')).toContain('zod/v4/core');
    expect(importsOf('schema/zod3-to-json-schema.ts')).toContain('zod-to-json-schema');
    expect(importsOf('schema/__fixtures__/weather-schemas.ts')).toEqual(
      expect.arrayContaining(['zod', 'zod/v4', 'zod/v3', 'zod/mini']),
    );
  });

  it('no file that imports zod-to-json-schema imports zod (zod, zod/v4, zod/v3, ...)', () => {
    const users = files.filter((file) => importsOf(file).includes('zod-to-json-schema'));
    expect(users).toContain('schema/zod3-to-json-schema.ts');
    for (const file of users) {
      expect(importsOf(file).filter(isZod), `${file} imports zod-to-json-schema and zod`).toEqual([]);
    }
  });

  it('in the shipped source, only the zod 4 adapter imports zod and only the zod 3 adapter imports zod-to-json-schema', () => {
    const source = files.filter(isSource);
    expect(source.filter((file) => importsOf(file).some(isZod))).toEqual(['schema/zod4.ts']);
    expect(source.filter((file) => importsOf(file).includes('zod-to-json-schema'))).toEqual([
      'schema/zod3-to-json-schema.ts',
    ]);
  });
});
