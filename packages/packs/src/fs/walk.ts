import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { PackInputError } from '../errors.js';
import { FOLDER_FLAGS, openInJail } from './descriptor.js';
import { fsError, type Jail } from './jail.js';

/** One entry met while walking a folder tree. */
export interface WalkEntry {
  /** Absolute real path of the entry (its folder was checked to be inside the jail). */
  absolute: string;
  /** Path relative to the folder the walk started in, `/`-separated. */
  relative: string;
  name: string;
  type: EntryType;
  /** 1 for the starting folder's own entries. */
  depth: number;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

/** Options of {@link walk}. */
export interface WalkOptions {
  /** Deepest level to descend to (1 = only the folder's own entries). */
  maxDepth: number;
  /** Folder names not descended into (still reported). */
  ignore: ReadonlySet<string>;
  /** Told about each subfolder that could not be read (its path relative to the start, and why). */
  onUnreadable?: ((relative: string, error: PackInputError) => void) | undefined;
}

/**
 * Walks a folder tree depth-first in name order. Symlinks are reported but never followed, and
 * each folder is opened and checked to be inside the jail before it is read (see `openInJail`),
 * so a folder swapped for a symlink during the walk is not read. The starting folder must be
 * readable (else this throws); a subfolder that cannot be read is reported to `onUnreadable`.
 * `userPath` is the starting folder as the model named it, for messages.
 */
export async function* walk(
  jail: Jail,
  start: string,
  userPath: string,
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  const entries = await readFolder(jail, start, userPath);
  yield* walkEntries(jail, entries, '', 1, options);
}

async function readFolder(
  jail: Jail,
  real: string,
  userPath: string,
): Promise<{ real: string; entries: Dirent[] }> {
  const folder = await openInJail(jail, real, userPath, FOLDER_FLAGS);
  try {
    // `via` reaches the very folder that was opened and checked, even if its path changes now.
    const entries = await readdir(folder.via, { withFileTypes: true }).catch((error: unknown) => {
      throw fsError(error, userPath);
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { real: folder.real, entries };
  } finally {
    await folder.handle.close();
  }
}

async function* walkEntries(
  jail: Jail,
  folder: { real: string; entries: Dirent[] },
  prefix: string,
  depth: number,
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  for (const entry of folder.entries) {
    const type = entryType(entry);
    const absolute = path.join(folder.real, entry.name);
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    yield { absolute, relative, name: entry.name, type, depth };
    if (type === 'directory' && depth < options.maxDepth && !options.ignore.has(entry.name)) {
      let inner: { real: string; entries: Dirent[] };
      try {
        inner = await readFolder(jail, absolute, jail.relative(absolute));
      } catch (error) {
        if (!(error instanceof PackInputError)) throw error;
        options.onUnreadable?.(relative, error);
        continue;
      }
      yield* walkEntries(jail, inner, relative, depth + 1, options);
    }
  }
}

/** The type of a directory entry, without following symlinks. */
function entryType(entry: Dirent): EntryType {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  return 'other';
}
