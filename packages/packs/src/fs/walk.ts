import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';

/** One entry met while walking a folder tree. */
export interface WalkEntry {
  /** Absolute path (inside the jail: the walk never follows symlinks). */
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
}

/**
 * Walks a folder tree depth-first in name order. Symlinks are reported but never followed, so a
 * walk that starts inside the jail stays inside it; unreadable folders are skipped.
 */
export async function* walk(start: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  yield* walkFolder(start, '', 1, options);
}

async function* walkFolder(
  folder: string,
  prefix: string,
  depth: number,
  options: WalkOptions,
): AsyncGenerator<WalkEntry> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const type = entryType(entry);
    const absolute = path.join(folder, entry.name);
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    yield { absolute, relative, name: entry.name, type, depth };
    if (type === 'directory' && depth < options.maxDepth && !options.ignore.has(entry.name)) {
      yield* walkFolder(absolute, relative, depth + 1, options);
    }
  }
}

/** The type of a directory entry, without following symlinks. */
export function entryType(entry: Dirent): EntryType {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  return 'other';
}
