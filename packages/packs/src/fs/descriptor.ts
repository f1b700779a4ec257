import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import { PackInputError } from '../errors.js';
import { fsError, type Jail } from './jail.js';

/** Flags for opening a resolved path: never follow a symlink swapped in, never block on a FIFO. */
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** Flags for opening a folder to list it or to write into it. */
export const FOLDER_FLAGS = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** Whether `/proc/self/fd` tells where a descriptor really points (Linux). Checked once. */
let procFd: boolean | undefined;

/**
 * Where an open descriptor really points, as the kernel sees it now (Linux: `/proc/self/fd/N`);
 * undefined where the platform cannot tell.
 */
export async function descriptorPath(handle: FileHandle): Promise<string | undefined> {
  if (procFd === false) return undefined;
  try {
    const target = await readlink(`/proc/self/fd/${handle.fd}`);
    procFd = true;
    return target;
  } catch {
    procFd ??= false;
    return undefined;
  }
}

/** A descriptor opened inside the jail and checked after opening. */
export interface VerifiedHandle {
  handle: FileHandle;
  /** The real path of what was opened (read from the descriptor where the platform allows). */
  real: string;
  stats: Stats;
  /**
   * A path that reaches exactly the opened file or folder, whatever happens to the path it was
   * opened by: `/proc/self/fd/N` on Linux, else `real`.
   */
  via: string;
}

/**
 * Opens `real` (a path the jail resolved) and checks what was actually opened: another process
 * may have swapped a folder on the way for a symlink between the resolution and the open.
 * On Linux the descriptor's own path (`/proc/self/fd/N`) must be inside the root; elsewhere the
 * path is resolved again and must be inside the root and name the same file (device and inode).
 * Regular files with more than one hard link are refused unless the jail allows them: a hard
 * link cannot be told from the file it links, which may be outside the root.
 */
export async function openInJail(
  jail: Jail,
  real: string,
  userPath: string,
  flags: number,
): Promise<VerifiedHandle> {
  let handle: FileHandle;
  try {
    await jail.beforeOpen?.(real);
    handle = await open(real, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // O_NOFOLLOW met a symlink where the check saw a file or folder: it was swapped meanwhile.
    if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'EMLINK') {
      const now = await lstat(real).catch(() => undefined);
      if (now?.isSymbolicLink()) throw swapped(userPath);
    }
    throw fsError(error, userPath);
  }
  try {
    const stats = await handle.stat();
    const actual = await descriptorPath(handle);
    let checked: string;
    if (actual !== undefined) {
      checked = actual;
    } else {
      checked = await realpath(real).catch((error: unknown) => {
        throw fsError(error, userPath);
      });
      const again = await stat(checked).catch(() => undefined);
      if (again === undefined || again.dev !== stats.dev || again.ino !== stats.ino) throw swapped(userPath);
    }
    if (!jail.contains(checked)) throw swapped(userPath);
    if (stats.isFile() && stats.nlink > 1 && !jail.allowHardLinks) {
      throw new PackInputError(
        'hard_link',
        `"${userPath}" has ${stats.nlink} hard links; it may be a link to a file outside the workspace, so it is not read. (The developer can allow such files with the fsPack option allowHardLinks.)`,
      );
    }
    return {
      handle,
      real: checked,
      stats,
      via: actual === undefined ? checked : `/proc/self/fd/${handle.fd}`,
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The refusal when what was opened is not what was resolved. */
export function swapped(userPath: string): PackInputError {
  return new PackInputError(
    'outside_root',
    `"${userPath}" changed while it was being opened (a folder on the way was replaced, e.g. by a symbolic link pointing outside the workspace); it was not used.`,
  );
}
