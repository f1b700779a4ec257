import {
  chmod,
  chown,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackInputError } from '../errors.js';
import { fsPack } from './fs-pack.js';
import { Jail, type JailOptions } from './jail.js';
import { listInJail } from './list.js';
import { readFileInJail } from './read.js';
import { searchWithRegex } from './regex-search.js';
import { type SearchLimits, searchInJail } from './search.js';
import { editFileInJail, writeFileInJail } from './write.js';

// Issue 12: races with another process, and files the pack must refuse. The races are played
// deterministically through the jail's test seams (`beforeOpen`, `beforeRename`), which run at
// the worst moment: after the path was resolved and checked, before it is opened or renamed.

let base: string;
let root: string;
let outside: string;

beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'plumb-hardening-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'sub'), { recursive: true });
  await mkdir(path.join(outside, 'sub'), { recursive: true });
  await writeFile(path.join(root, 'sub', 'file.txt'), 'inside');
  await writeFile(path.join(outside, 'sub', 'file.txt'), 'OUTSIDE SECRET');
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Swaps root/sub for a symlink to outside/sub, as another process could at any moment. */
async function swapSub(): Promise<void> {
  await rename(path.join(root, 'sub'), path.join(root, 'sub-moved'));
  await symlink(path.join(outside, 'sub'), path.join(root, 'sub'));
}

/** A jail whose `beforeOpen` seam swaps root/sub the first time `when` is opened. */
function racingJail(when: () => string, options: JailOptions = {}): Jail {
  let done = false;
  return new Jail(root, {
    ...options,
    beforeOpen: async (real) => {
      if (!done && real === when()) {
        done = true;
        await swapSub();
      }
    },
  });
}

async function refusal(action: Promise<unknown>, code: string): Promise<PackInputError> {
  const error = await action.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(PackInputError);
  expect((error as PackInputError).code).toBe(code);
  expect((error as Error).message).not.toContain(base);
  return error as PackInputError;
}

const limits = (overrides: Partial<SearchLimits> = {}): SearchLimits => ({
  maxResults: 50,
  maxFileBytes: 100_000,
  maxFiles: 1000,
  ignore: new Set(),
  regexTimeoutMs: 5000,
  ...overrides,
});

describe('a folder swapped for a symlink between the check and the open', () => {
  it('read_file refuses what it opened outside the root', async () => {
    const jail = racingJail(() => path.join(jail.root, 'sub', 'file.txt'));
    const error = await refusal(readFileInJail(jail, 'sub/file.txt', { maxBytes: 1000 }), 'outside_root');
    expect(error.message).toContain('"sub/file.txt" changed while it was being opened');
  });

  it('edit_file refuses too, and the outside file is untouched', async () => {
    const jail = racingJail(() => path.join(jail.root, 'sub', 'file.txt'));
    await refusal(
      editFileInJail(jail, 'sub/file.txt', { oldText: 'SECRET', newText: 'x' }, { maxBytes: 1000 }),
      'outside_root',
    );
    expect(await readFile(path.join(outside, 'sub', 'file.txt'), 'utf8')).toBe('OUTSIDE SECRET');
  });

  it('list_directory refuses the swapped folder', async () => {
    const jail = racingJail(() => path.join(jail.root, 'sub'));
    await refusal(listInJail(jail, 'sub', { maxEntries: 100, ignore: new Set() }), 'outside_root');
  });

  it('a recursive listing does not enter a subfolder swapped during the walk, and says so', async () => {
    const jail = racingJail(() => path.join(jail.root, 'sub'));
    const result = await listInJail(jail, '.', { recursive: true, maxEntries: 100, ignore: new Set() });
    expect(result.entries.map((entry) => entry.path)).not.toContain('sub/file.txt');
    expect(result.unreadable).toEqual(['sub/']);
    expect(result.notice).toContain('could not be read');
  });

  it('search_files finds nothing outside, by substring or by regex', async () => {
    const jail = racingJail(() => path.join(jail.root, 'sub', 'file.txt'));
    expect((await searchInJail(jail, { content: 'SECRET' }, limits())).matches).toEqual([]);
    // The regex worker opens the files itself: give it a path whose folder is already swapped.
    const found = await searchWithRegex(
      [{ absolute: path.join(jail.root, 'sub', 'file.txt'), path: 'sub/file.txt' }],
      /SECRET/,
      { maxResults: 10, maxFileBytes: 1000, timeoutMs: 5000, root: jail.root, allowHardLinks: false },
    );
    expect(found.matches).toEqual([]);
    await rm(path.join(root, 'sub'));
    await rename(path.join(root, 'sub-moved'), path.join(root, 'sub'));
    const walking = racingJail(() => path.join(walking.root, 'sub'));
    const result = await searchInJail(walking, { content: 'SECRET', regex: true }, limits());
    expect(result.matches).toEqual([]);
    expect(result.notice).toContain('could not be read and was not searched: sub/');
  });

  it('write_file never leaves a file outside when the folder is swapped before it is opened', async () => {
    const jail = racingJail(() => path.join(jail.root, 'sub'));
    await expect(writeFileInJail(jail, 'sub/new.txt', 'x', { maxBytes: 100 })).rejects.toBeInstanceOf(
      PackInputError,
    );
    expect(await readdir(path.join(outside, 'sub'))).toEqual(['file.txt']);
  });

  it.runIf(process.platform === 'linux')(
    'write_file renames inside the folder it opened, even when its path is swapped right before the rename',
    async () => {
      const jail = new Jail(root, { beforeRename: swapSub });
      await writeFileInJail(jail, 'sub/file.txt', 'new', { maxBytes: 100 });
      expect(await readFile(path.join(outside, 'sub', 'file.txt'), 'utf8')).toBe('OUTSIDE SECRET');
      expect(await readdir(path.join(outside, 'sub'))).toEqual(['file.txt']);
      expect(await readFile(path.join(root, 'sub-moved', 'file.txt'), 'utf8')).toBe('new');
    },
  );

  it('write_file removes its file and fails when the folder is moved out of the root during the write', async () => {
    const jail = new Jail(root, {
      beforeRename: async () => rename(path.join(root, 'sub'), path.join(outside, 'moved')),
    });
    await refusal(writeFileInJail(jail, 'sub/new.txt', 'x', { maxBytes: 100 }), 'outside_root');
    expect((await readdir(path.join(outside, 'moved'))).sort()).toEqual(['file.txt']);
  });
});

describe('files and folders the pack refuses, with root-relative messages', () => {
  it('does not replace a read-only (0444) file, even as root', async () => {
    await writeFile(path.join(root, 'locked.txt'), 'keep');
    await chmod(path.join(root, 'locked.txt'), 0o444);
    const jail = new Jail(root);
    const error = await refusal(writeFileInJail(jail, 'locked.txt', 'x', { maxBytes: 100 }), 'read_only');
    expect(error.message).toBe(
      '"locked.txt" is read-only (mode 0444); it is not replaced. Ask the user to make it writable if it should change.',
    );
    await refusal(
      editFileInJail(jail, 'locked.txt', { oldText: 'keep', newText: 'x' }, { maxBytes: 100 }),
      'read_only',
    );
    expect(await readFile(path.join(root, 'locked.txt'), 'utf8')).toBe('keep');
  });

  it.runIf(process.getuid?.() === 0)('does not replace a file owned by another user', async () => {
    await writeFile(path.join(root, 'theirs.txt'), 'keep');
    await chown(path.join(root, 'theirs.txt'), 12_345, 12_345);
    const error = await refusal(
      writeFileInJail(new Jail(root), 'theirs.txt', 'x', { maxBytes: 100 }),
      'not_owner',
    );
    expect(error.message).toContain('"theirs.txt" belongs to another user');
    expect((await stat(path.join(root, 'theirs.txt'))).uid).toBe(12_345);
  });

  it('writes a 250-character name (the temporary name is short) and refuses an over-long one clearly', async () => {
    const jail = new Jail(root);
    const name = `${'n'.repeat(246)}.txt`;
    await expect(writeFileInJail(jail, name, 'ok', { maxBytes: 100 })).resolves.toMatchObject({
      created: true,
    });
    expect(await readFile(path.join(root, name), 'utf8')).toBe('ok');
    const long = `${'n'.repeat(300)}.txt`;
    const error = await refusal(
      writeFileInJail(jail, `sub/${long}`, 'x', { maxBytes: 100 }),
      'name_too_long',
    );
    expect(error.message).toContain('at most 255 bytes');
    const folder = await refusal(
      writeFileInJail(jail, `${long}/a.txt`, 'x', { maxBytes: 100 }),
      'name_too_long',
    );
    expect(folder.message).not.toContain(root);
  });

  it('maps any other file-system error to a root-relative message (no host path, no raw errno text)', async () => {
    const failing = new Jail(root, {
      beforeOpen: () => {
        throw Object.assign(new Error(`EIO: i/o error, open '${path.join(root, 'sub', 'file.txt')}'`), {
          code: 'EIO',
        });
      },
    });
    const error = await refusal(readFileInJail(failing, 'sub/file.txt', { maxBytes: 100 }), 'fs_error');
    expect(error.message).toBe('The file operation on "sub/file.txt" failed (EIO).');
  });

  it('says a folder it cannot read is unreadable instead of listing it as empty', async () => {
    const locked = path.join(root, 'locked');
    await mkdir(locked);
    await writeFile(path.join(locked, 'hidden.txt'), 'SECRET');
    // Root may read any folder, so the permission error is injected at the open; without root,
    // a real chmod 000 is used as well.
    const denied = () =>
      Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: 'EACCES' });
    const jails = [
      new Jail(root, {
        beforeOpen: (real) => {
          if (real === locked) throw denied();
        },
      }),
    ];
    if (process.getuid?.() !== 0) {
      await chmod(locked, 0);
      jails.push(new Jail(root));
    }
    try {
      for (const jail of jails) {
        const direct = await refusal(
          listInJail(jail, 'locked', { maxEntries: 10, ignore: new Set() }),
          'permission_denied',
        );
        expect(direct.message).toBe('"locked" cannot be read or written: permission denied.');
        const listing = await listInJail(jail, '.', { recursive: true, maxEntries: 100, ignore: new Set() });
        expect(listing.unreadable).toEqual(['locked/']);
        expect(listing.notice).toBe(
          'This folder could not be read, so its contents are not listed: locked/.',
        );
        const search = await searchInJail(jail, { content: 'SECRET' }, limits());
        expect(search.notice).toContain('1 folder could not be read and was not searched: locked/');
      }
    } finally {
      await chmod(locked, 0o755);
    }
  });

  it('refuses a hard link to an outside file, unless allowHardLinks', async () => {
    await link(path.join(outside, 'sub', 'file.txt'), path.join(root, 'linked.txt'));
    const jail = new Jail(root);
    const error = await refusal(readFileInJail(jail, 'linked.txt', { maxBytes: 100 }), 'hard_link');
    expect(error.message).toBe(
      '"linked.txt" has 2 hard links; it may be a link to a file outside the workspace, so it is not read. (The developer can allow such files with the fsPack option allowHardLinks.)',
    );
    await refusal(
      editFileInJail(jail, 'linked.txt', { oldText: 'SECRET', newText: 'x' }, { maxBytes: 100 }),
      'hard_link',
    );
    for (const regex of [false, true]) {
      const search = await searchInJail(jail, { content: 'SECRET', regex }, limits());
      expect(search.matches).toEqual([]);
      expect(search.notice).toContain('1 file has more than one hard link and was not searched');
    }
    // Replacing the name is allowed (the outside file keeps its content), but not when read-only.
    await writeFileInJail(jail, 'linked.txt', 'replaced', { maxBytes: 100 });
    expect(await readFile(path.join(outside, 'sub', 'file.txt'), 'utf8')).toBe('OUTSIDE SECRET');
    await rm(path.join(root, 'linked.txt'));
    await link(path.join(outside, 'sub', 'file.txt'), path.join(root, 'linked.txt'));
    await link(path.join(outside, 'sub', 'file.txt'), path.join(root, 'frozen.txt'));
    await chmod(path.join(root, 'frozen.txt'), 0o444);
    await refusal(writeFileInJail(jail, 'frozen.txt', 'x', { maxBytes: 100 }), 'read_only');
    await chmod(path.join(root, 'frozen.txt'), 0o644);
    await rm(path.join(root, 'frozen.txt'));
    const allowed = new Jail(root, { allowHardLinks: true });
    expect((await readFileInJail(allowed, 'linked.txt', { maxBytes: 100 })).content).toBe('OUTSIDE SECRET');
    // Through the pack option, and with no host path in what the model reads.
    const [list, read] = fsPack({ root, allowHardLinks: true }).tools;
    expect(list).toBeDefined();
    const ok = await read!.invoke({ id: 'call_1', function: { arguments: '{"path":"linked.txt"}' } });
    expect(ok.content).toBe('OUTSIDE SECRET');
    const [, strictRead] = fsPack({ root }).tools;
    const refused = await strictRead!.invoke({
      id: 'call_2',
      function: { arguments: '{"path":"linked.txt"}' },
    });
    expect(refused.content).toContain('allowHardLinks');
    expect(refused.content).not.toContain(base);
  });
});

describe('text cut on code-point boundaries', () => {
  it('a matched line longer than 200 characters is cut before an emoji, never inside it', async () => {
    await writeFile(path.join(root, 'emoji.txt'), `${'a'.repeat(199)}😀 needle\n`);
    const jail = new Jail(root);
    for (const regex of [false, true]) {
      const { matches } = await searchInJail(jail, { content: 'needle', regex }, limits());
      expect(matches[0]!.text).toBe(`${'a'.repeat(199)}…`);
      expect(matches[0]!.text).not.toMatch(/[\ud800-\udfff]/);
    }
  });
});
