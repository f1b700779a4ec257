import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackInputError } from '../errors.js';
import { Jail } from './jail.js';
import { listInJail } from './list.js';
import { characterBoundary, readFileInJail } from './read.js';
import { type SearchLimits, searchInJail } from './search.js';
import { editFileInJail, writeFileInJail } from './write.js';

let root: string;
let jail: Jail;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'plumb-fs-'));
  await mkdir(path.join(root, 'src', 'lib'), { recursive: true });
  await mkdir(path.join(root, 'node_modules', 'dep'), { recursive: true });
  await writeFile(path.join(root, 'README.md'), '# Title\nSome TODO here\n');
  await writeFile(path.join(root, 'src', 'index.ts'), 'export const a = 1;\n// TODO: fix\nconst todo = 2;\n');
  await writeFile(path.join(root, 'src', 'index.test.ts'), 'test("a")\n');
  await writeFile(path.join(root, 'src', 'lib', 'util.ts'), 'export function util() {}\n');
  await writeFile(path.join(root, 'node_modules', 'dep', 'index.js'), '// TODO in a dependency\n');
  await writeFile(path.join(root, 'binary.bin'), Buffer.from([0x00, 0x01, 0x54, 0x4f, 0x44, 0x4f]));
  jail = new Jail(root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function refused(action: Promise<unknown>, code: string): Promise<PackInputError> {
  const error = await action.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PackInputError);
  expect((error as PackInputError).code).toBe(code);
  return error as PackInputError;
}

const limits = (overrides: Partial<SearchLimits> = {}): SearchLimits => ({
  maxResults: 50,
  maxFileBytes: 100_000,
  maxFiles: 1000,
  ignore: new Set(['node_modules', '.git']),
  regexTimeoutMs: 2000,
  ...overrides,
});

describe('read_file', () => {
  it('reads a small file whole', async () => {
    await expect(readFileInJail(jail, 'README.md', { maxBytes: 1000 })).resolves.toEqual({
      path: 'README.md',
      size: 23,
      offset: 0,
      content: '# Title\nSome TODO here\n',
      truncated: false,
    });
  });

  it('truncates past maxBytes with a notice saying where to continue', async () => {
    await writeFile(path.join(root, 'big.txt'), 'x'.repeat(2500));
    const first = await readFileInJail(jail, 'big.txt', { maxBytes: 1000 });
    expect(first).toMatchObject({ truncated: true, nextOffset: 1000, size: 2500 });
    expect(first.content).toHaveLength(1000);
    expect(first.notice).toContain('offset 1000');
    const last = await readFileInJail(jail, 'big.txt', { maxBytes: 1000, offset: 2000 });
    expect(last).toMatchObject({ truncated: false, offset: 2000 });
    expect(last.content).toHaveLength(500);
  });

  it('never cuts a UTF-8 character in half', async () => {
    await writeFile(path.join(root, 'utf8.txt'), 'ab€€€');
    const result = await readFileInJail(jail, 'utf8.txt', { maxBytes: 4 });
    expect(result.content).toBe('ab');
    expect(result.nextOffset).toBe(2);
    const next = await readFileInJail(jail, 'utf8.txt', { maxBytes: 4, offset: 2 });
    expect(next.content).toBe('€');
    expect(characterBoundary(Buffer.from('a😀'), 3)).toBe(1);
    expect(characterBoundary(Buffer.from('a😀'), 5)).toBe(5);
  });

  it('does not return binary files, folders or pipes', async () => {
    const binary = await readFileInJail(jail, 'binary.bin', { maxBytes: 1000 });
    expect(binary.content).toBe('');
    expect(binary.notice).toContain('binary');
    await refused(readFileInJail(jail, 'src', { maxBytes: 1000 }), 'is_directory');
    await refused(readFileInJail(jail, 'missing.txt', { maxBytes: 1000 }), 'not_found');
    await refused(readFileInJail(jail, 'README.md/x', { maxBytes: 1000 }), 'not_found');
    await refused(readFileInJail(jail, 'README.md', { maxBytes: 1000, offset: -1 }), 'invalid_offset');
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(root, 'pipe')]);
      await refused(readFileInJail(jail, 'pipe', { maxBytes: 1000 }), 'not_a_file');
      await rm(path.join(root, 'pipe'));
    }
  });
});

describe('write_file', () => {
  it('creates a file and its folders, leaving no temporary files', async () => {
    const result = await writeFileInJail(jail, 'out/new/deep.txt', 'héllo', { maxBytes: 100 });
    expect(result).toEqual({ path: 'out/new/deep.txt', bytesWritten: 6, created: true });
    expect(await readFile(path.join(root, 'out/new/deep.txt'), 'utf8')).toBe('héllo');
    expect(await readdir(path.join(root, 'out/new'))).toEqual(['deep.txt']);
  });

  it('overwrites in place, keeping the file mode', async () => {
    await writeFile(path.join(root, 'script.sh'), 'echo 1');
    await chmod(path.join(root, 'script.sh'), 0o755);
    const result = await writeFileInJail(jail, 'script.sh', 'echo 2', { maxBytes: 100 });
    expect(result.created).toBe(false);
    expect(await readFile(path.join(root, 'script.sh'), 'utf8')).toBe('echo 2');
    expect((await stat(path.join(root, 'script.sh'))).mode & 0o777).toBe(0o755);
  });

  it('refuses content over maxBytes and writes nothing', async () => {
    const error = await refused(
      writeFileInJail(jail, 'huge.txt', 'x'.repeat(101), { maxBytes: 100 }),
      'too_large',
    );
    expect(error.message).toContain('101 bytes');
    await expect(stat(path.join(root, 'huge.txt'))).rejects.toThrow();
  });

  it('refuses to overwrite a folder or write under a file', async () => {
    await refused(writeFileInJail(jail, 'src', 'x', { maxBytes: 100 }), 'is_directory');
    await refused(writeFileInJail(jail, 'README.md/child.txt', 'x', { maxBytes: 100 }), 'not_found');
  });
});

describe('edit_file', () => {
  it('replaces a unique exact string', async () => {
    await writeFile(path.join(root, 'edit.txt'), 'const a = 1;\nconst b = 2;\n');
    const result = await editFileInJail(
      jail,
      'edit.txt',
      { oldText: 'b = 2', newText: 'b = $&3' },
      { maxBytes: 1000 },
    );
    expect(result).toEqual({ path: 'edit.txt', replacements: 1, bytesWritten: 28 });
    expect(await readFile(path.join(root, 'edit.txt'), 'utf8')).toBe('const a = 1;\nconst b = $&3;\n');
  });

  it('refuses ambiguous, missing and empty oldText, and can replace all', async () => {
    await writeFile(path.join(root, 'dup.txt'), 'x x x');
    const ambiguous = await refused(
      editFileInJail(jail, 'dup.txt', { oldText: 'x', newText: 'y' }, { maxBytes: 1000 }),
      'ambiguous_edit',
    );
    expect(ambiguous.message).toContain('3 times');
    await refused(
      editFileInJail(jail, 'dup.txt', { oldText: 'z', newText: 'y' }, { maxBytes: 1000 }),
      'text_not_found',
    );
    await refused(
      editFileInJail(jail, 'dup.txt', { oldText: '', newText: 'y' }, { maxBytes: 1000 }),
      'invalid_edit',
    );
    await expect(
      editFileInJail(jail, 'dup.txt', { oldText: 'x', newText: 'yy', replaceAll: true }, { maxBytes: 1000 }),
    ).resolves.toMatchObject({ replacements: 3 });
    expect(await readFile(path.join(root, 'dup.txt'), 'utf8')).toBe('yy yy yy');
  });

  it('refuses files over the limit, and edits that would grow past it', async () => {
    await writeFile(path.join(root, 'grow.txt'), 'ab');
    await refused(
      editFileInJail(jail, 'grow.txt', { oldText: 'a', newText: 'a'.repeat(20) }, { maxBytes: 10 }),
      'too_large',
    );
    await refused(
      editFileInJail(jail, 'big.txt', { oldText: 'x', newText: 'y' }, { maxBytes: 10 }),
      'too_large',
    );
    expect(await readFile(path.join(root, 'grow.txt'), 'utf8')).toBe('ab');
  });
});

describe('list_directory', () => {
  it('lists one level with types and sizes', async () => {
    const result = await listInJail(jail, 'src', { maxEntries: 100, ignore: new Set() });
    expect(result).toEqual({
      path: 'src',
      truncated: false,
      entries: [
        { path: 'src/index.test.ts', type: 'file', size: 10 },
        { path: 'src/index.ts', type: 'file', size: 49 },
        { path: 'src/lib/', type: 'directory' },
      ],
    });
  });

  it('lists recursively without descending into ignored folders, up to maxEntries', async () => {
    const all = await listInJail(jail, '.', {
      recursive: true,
      maxEntries: 1000,
      ignore: new Set(['node_modules']),
    });
    const paths = all.entries.map((entry) => entry.path);
    expect(paths).toContain('src/lib/util.ts');
    expect(paths).toContain('node_modules/');
    expect(paths.some((entry) => entry.startsWith('node_modules/dep'))).toBe(false);
    const capped = await listInJail(jail, '.', { recursive: true, maxEntries: 3, ignore: new Set() });
    expect(capped.entries).toHaveLength(3);
    expect(capped.truncated).toBe(true);
    expect(capped.notice).toContain('first 3');
  });

  it('refuses a file', async () => {
    await refused(listInJail(jail, 'README.md', { maxEntries: 10, ignore: new Set() }), 'not_a_directory');
  });
});

describe('search_files', () => {
  it('finds files by name glob and by path glob', async () => {
    const byName = await searchInJail(jail, { name: '*.ts' }, limits());
    expect(byName.matches.map((match) => match.path)).toEqual([
      'src/index.test.ts',
      'src/index.ts',
      'src/lib/util.ts',
    ]);
    const byPath = await searchInJail(jail, { name: 'src/**/*.{ts,md}', caseSensitive: true }, limits());
    expect(byPath.matches.map((match) => match.path)).toEqual([
      'src/index.test.ts',
      'src/index.ts',
      'src/lib/util.ts',
    ]);
    const inFolder = await searchInJail(jail, { path: 'src/lib', name: 'UTIL.*' }, limits());
    expect(inFolder.matches).toEqual([{ path: 'src/lib/util.ts' }]);
  });

  it('finds text case-insensitively by default, with line numbers, skipping ignored and binary files', async () => {
    const result = await searchInJail(jail, { content: 'todo' }, limits());
    expect(result.matches).toEqual([
      { path: 'README.md', line: 2, text: 'Some TODO here' },
      { path: 'src/index.ts', line: 2, text: '// TODO: fix' },
      { path: 'src/index.ts', line: 3, text: 'const todo = 2;' },
    ]);
    const exact = await searchInJail(jail, { content: 'TODO', caseSensitive: true, name: '*.ts' }, limits());
    expect(exact.matches).toEqual([{ path: 'src/index.ts', line: 2, text: '// TODO: fix' }]);
  });

  it('searches with a regular expression in a worker', async () => {
    const result = await searchInJail(jail, { content: '^export (const|function)', regex: true }, limits());
    expect(result.matches).toEqual([
      { path: 'src/index.ts', line: 1, text: 'export const a = 1;' },
      { path: 'src/lib/util.ts', line: 1, text: 'export function util() {}' },
    ]);
    await refused(searchInJail(jail, { content: '(unclosed', regex: true }, limits()), 'invalid_regex');
  });

  it('stops a catastrophic regular expression instead of hanging', async () => {
    await writeFile(path.join(root, 'redos.txt'), `${'a'.repeat(40)}!\n`);
    const error = await refused(
      searchInJail(
        jail,
        { content: '^(a+)+$', regex: true, name: 'redos.txt' },
        limits({ regexTimeoutMs: 200 }),
      ),
      'regex_timeout',
    );
    expect(error.message).toContain('200 ms');
  });

  it('stops a regular-expression search when the call is aborted', async () => {
    await writeFile(path.join(root, 'redos2.txt'), `${'a'.repeat(40)}!\n`);
    const controller = new AbortController();
    const reason = new Error('run aborted');
    const pending = searchInJail(
      jail,
      { content: '^(a+)+$', regex: true, name: 'redos2.txt' },
      limits({ regexTimeoutMs: 60_000, signal: controller.signal }),
    );
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('caps results, files scanned and file size', async () => {
    const capped = await searchInJail(jail, { content: 'e', maxResults: 2 }, limits());
    expect(capped.matches).toHaveLength(2);
    expect(capped.truncated).toBe(true);
    expect(capped.notice).toContain('first 2');
    const fewFiles = await searchInJail(jail, { content: 'zzz-not-there' }, limits({ maxFiles: 2 }));
    expect(fewFiles).toMatchObject({ truncated: true, filesScanned: 2 });
    expect(fewFiles.notice).toContain('Stopped after 2 files');
    const small = await searchInJail(jail, { content: 'todo' }, limits({ maxFileBytes: 30 }));
    expect(small.matches.map((match) => match.path)).toEqual(['README.md']);
    await refused(searchInJail(jail, {}, limits()), 'invalid_search');
    await refused(searchInJail(jail, { name: '{a,b' }, limits()), 'invalid_glob');
  });
});
