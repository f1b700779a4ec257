import { lstat, stat } from 'node:fs/promises';
import { PackInputError } from '../errors.js';
import { fsError, type Jail } from './jail.js';
import { type EntryType, walk } from './walk.js';

/** One entry of a listing. */
export interface ListEntry {
  /** Path relative to the workspace root; folders end with `/`. */
  path: string;
  type: EntryType;
  /** Size in bytes, for files. */
  size?: number | undefined;
}

/** What `list_directory` returns. */
export interface ListResult {
  path: string;
  entries: ListEntry[];
  /** True when there were more entries than `maxEntries`. */
  truncated: boolean;
  /** Subfolders that could not be read (permission denied, or changed while listing). */
  unreadable?: string[] | undefined;
  notice?: string | undefined;
}

/** Options of {@link listInJail}. */
export interface ListOptions {
  recursive?: boolean | undefined;
  maxEntries: number;
  ignore: ReadonlySet<string>;
}

/** Lists a folder inside the jail (recursively up to 20 levels, skipping ignored folders' contents). */
export async function listInJail(jail: Jail, userPath: string, options: ListOptions): Promise<ListResult> {
  const folder = await jail.resolveExisting(userPath);
  const stats = await stat(folder.real).catch((error: unknown) => {
    throw fsError(error, userPath);
  });
  if (!stats.isDirectory()) {
    throw new PackInputError('not_a_directory', `"${userPath}" is a file, not a folder. Read it instead.`);
  }
  const prefix = folder.relative === '.' ? '' : `${folder.relative}/`;
  const entries: ListEntry[] = [];
  let truncated = false;
  const unreadable: string[] = [];
  const walker = walk(jail, folder.real, userPath, {
    maxDepth: options.recursive ? 20 : 1,
    ignore: options.ignore,
    onUnreadable: (relative) => unreadable.push(`${prefix}${relative}/`),
  });
  for await (const entry of walker) {
    if (entries.length >= options.maxEntries) {
      truncated = true;
      break;
    }
    const listed: ListEntry = {
      path: `${prefix}${entry.relative}${entry.type === 'directory' ? '/' : ''}`,
      type: entry.type,
    };
    if (entry.type === 'file') listed.size = (await lstat(entry.absolute).catch(() => undefined))?.size;
    entries.push(listed);
  }
  const result: ListResult = { path: folder.relative, entries, truncated };
  const notices: string[] = [];
  if (truncated)
    notices.push(`Only the first ${options.maxEntries} entries are shown. List a subfolder to see more.`);
  if (unreadable.length > 0) {
    result.unreadable = unreadable;
    notices.push(
      `${unreadable.length === 1 ? 'This folder' : 'These folders'} could not be read, so ${unreadable.length === 1 ? 'its' : 'their'} contents are not listed: ${unreadable.slice(0, 20).join(', ')}${unreadable.length > 20 ? ', ...' : ''}.`,
    );
  }
  if (notices.length > 0) result.notice = notices.join(' ');
  return result;
}
