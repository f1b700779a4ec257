import { realpathSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackConfigError, PackInputError } from '../errors.js';
import { Jail } from './jail.js';
import { listInJail } from './list.js';
import { readFileInJail } from './read.js';
import { searchInJail } from './search.js';
import { editFileInJail, writeFileInJail } from './write.js';

let base: string;
let root: string;
let outside: string;
let jail: Jail;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'plumb-jail-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'sub', 'deep'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'TOP SECRET');
  await writeFile(path.join(root, 'a.txt'), 'hello');
  await writeFile(path.join(root, 'sub', 'b.txt'), 'inside b');
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-file-out'));
  await symlink(outside, path.join(root, 'link-dir-out'));
  await symlink('../../../outside', path.join(root, 'sub', 'deep', 'link-up'));
  await symlink(path.join(root, 'sub'), path.join(root, 'link-dir-in'));
  await symlink('a.txt', path.join(root, 'link-file-in'));
  await symlink(path.join(outside, 'created-by-attack.txt'), path.join(root, 'dangling-out'));
  await symlink(path.join(outside, 'new-dir'), path.join(root, 'dangling-dir-out'));
  await symlink(path.join(root, 'sub', 'deep', 'link-up'), path.join(root, 'chain'));
  await symlink(root, path.join(base, 'root-alias'));
  await symlink('loop', path.join(root, 'loop'));
  jail = new Jail(path.join(base, 'root-alias'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function refused(action: Promise<unknown>, code: string): Promise<PackInputError> {
  const error = await action.then(
    () => {
      throw new Error(`expected a refusal with code ${code}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PackInputError);
  expect((error as PackInputError).code).toBe(code);
  return error as PackInputError;
}

async function outsideUntouched() {
  expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET');
  expect((await readdir(outside)).sort()).toEqual(['secret.txt']);
}

const limits = { maxBytes: 1000 };

describe('Jail: the root', () => {
  it('resolves the root to its real path (the root may itself be a symlink)', () => {
    expect(jail.root).toBe(realpathSync(path.join(base, 'root')));
    expect(jail.contains(jail.root)).toBe(true);
    expect(jail.contains(`${jail.root}-sibling`)).toBe(false);
  });

  it('refuses a missing root or a file as root when built', () => {
    expect(() => new Jail(path.join(base, 'nope'))).toThrow(PackConfigError);
    expect(() => new Jail(path.join(outside, 'secret.txt'))).toThrow(/not a folder/);
  });
});

describe('Jail: attacks on reads', () => {
  it.each([
    ['../outside/secret.txt', 'outside_root'],
    ['sub/../../outside/secret.txt', 'outside_root'],
    ['..', 'outside_root'],
    ['./../root/../outside/secret.txt', 'outside_root'],
    ['/etc/passwd', 'absolute_path'],
    [path.join(tmpdir(), 'outside', 'secret.txt'), 'absolute_path'],
    ['C:\\Windows\\win.ini', 'absolute_path'],
    ['\\\\server\\share\\x', 'absolute_path'],
    ['a.txt\0.png', 'nul_byte'],
    ['\0', 'nul_byte'],
    ['link-file-out', 'outside_root'],
    ['link-dir-out/secret.txt', 'outside_root'],
    ['sub/deep/link-up/secret.txt', 'outside_root'],
    ['chain/secret.txt', 'outside_root'],
    ['link-dir-in/../link-dir-out/secret.txt', 'outside_root'],
    // A missing path outside is refused the same way: no oracle for what exists outside the root.
    ['../outside/no-such-file.txt', 'outside_root'],
    ['../no-such-folder/x', 'outside_root'],
  ])('read_file %j is refused (%s)', async (attack, code) => {
    const error = await refused(readFileInJail(jail, attack, limits), code);
    expect(error.message).not.toContain('TOP SECRET');
  });

  it('lists refuse the same escapes', async () => {
    await refused(listInJail(jail, 'link-dir-out', { maxEntries: 10, ignore: new Set() }), 'outside_root');
    await refused(listInJail(jail, '../outside', { maxEntries: 10, ignore: new Set() }), 'outside_root');
    await refused(listInJail(jail, '../missing', { maxEntries: 10, ignore: new Set() }), 'outside_root');
    await refused(
      searchInJail(jail, { path: 'sub/deep/link-up', content: 'SECRET' }, searchLimits()),
      'outside_root',
    );
  });

  it('reports a symlink loop as a clear error', async () => {
    const error = await refused(readFileInJail(jail, 'loop', limits), 'symlink_loop');
    expect(error.message).toContain('"loop"');
    await refused(writeFileInJail(jail, 'loop', 'x', limits), 'symlink_loop');
  });

  it('follows symlinks that stay inside, reporting the real location', async () => {
    await expect(readFileInJail(jail, 'link-file-in', limits)).resolves.toMatchObject({
      path: 'a.txt',
      content: 'hello',
    });
    await expect(readFileInJail(jail, 'link-dir-in/b.txt', limits)).resolves.toMatchObject({
      path: 'sub/b.txt',
      content: 'inside b',
    });
    await expect(readFileInJail(jail, 'sub/../a.txt', limits)).resolves.toMatchObject({ content: 'hello' });
  });

  it('never walks into symlinked folders while listing or searching', async () => {
    const listing = await listInJail(jail, '.', { recursive: true, maxEntries: 100, ignore: new Set() });
    expect(listing.entries.find((entry) => entry.path.includes('secret'))).toBeUndefined();
    expect(listing.entries).toContainEqual({ path: 'link-dir-out', type: 'symlink' });
    const found = await searchInJail(jail, { content: 'SECRET' }, searchLimits());
    expect(found.matches).toEqual([]);
    const byName = await searchInJail(jail, { name: 'secret*' }, searchLimits());
    expect(byName.matches).toEqual([]);
    // Symlinks are not search results either (only regular files are), even when the name matches.
    const links = await searchInJail(jail, { name: 'link-*' }, searchLimits());
    expect(links.matches).toEqual([]);
    const hello = await searchInJail(jail, { content: 'hello' }, searchLimits());
    expect(hello.matches).toEqual([{ path: 'a.txt', line: 1, text: 'hello' }]);
  });
});

describe('Jail: attacks on writes', () => {
  it.each([
    ['../outside/x.txt', 'outside_root'],
    ['/tmp/x.txt', 'absolute_path'],
    ['link-dir-out/x.txt', 'outside_root'],
    ['link-dir-out/new/deeper/x.txt', 'outside_root'],
    ['sub/deep/link-up/x.txt', 'outside_root'],
    ['link-file-out', 'outside_root'],
    ['dangling-out', 'dangling_symlink'],
    ['dangling-dir-out/x.txt', 'dangling_symlink'],
    ['new\0.txt', 'nul_byte'],
  ])('write_file %j is refused (%s) and nothing outside changes', async (attack, code) => {
    await refused(writeFileInJail(jail, attack, 'pwned', limits), code);
    await outsideUntouched();
  });

  it('edit_file refuses escapes too', async () => {
    await refused(
      editFileInJail(jail, 'link-file-out', { oldText: 'TOP', newText: 'x' }, limits),
      'outside_root',
    );
    await refused(
      editFileInJail(jail, '../outside/secret.txt', { oldText: 'TOP', newText: 'x' }, limits),
      'outside_root',
    );
    await outsideUntouched();
  });

  it('writes through a symlink that stays inside, to the real file', async () => {
    await writeFile(path.join(root, 'target.txt'), 'old');
    await symlink('target.txt', path.join(root, 'link-to-target'));
    await expect(writeFileInJail(jail, 'link-to-target', 'new', limits)).resolves.toMatchObject({
      path: 'target.txt',
      created: false,
    });
    expect(await readFile(path.join(root, 'target.txt'), 'utf8')).toBe('new');
    expect((await lstat(path.join(root, 'link-to-target'))).isSymbolicLink()).toBe(true);
    await outsideUntouched();
  });

  it('the root itself cannot be written', async () => {
    await refused(writeFileInJail(jail, '.', 'x', limits), 'is_directory');
  });
});

function searchLimits() {
  return {
    maxResults: 50,
    maxFileBytes: 10_000,
    maxFiles: 1000,
    ignore: new Set<string>(),
    regexTimeoutMs: 2000,
  };
}
