import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { PackInputError } from '../errors.js';
import { descriptorPath, FOLDER_FLAGS, openInJail, READ_FLAGS, swapped } from './descriptor.js';
import { fsError, type Jail } from './jail.js';

/** What `write_file` returns. */
export interface WriteResult {
  path: string;
  bytesWritten: number;
  /** True when the file did not exist before. */
  created: boolean;
}

/** What `edit_file` returns. */
export interface EditResult {
  path: string;
  replacements: number;
  bytesWritten: number;
}

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Writes a whole file inside the jail, atomically: the content goes to a temporary file in the
 * same folder, which then replaces the target (so a reader never sees half a file). A symlink
 * to a file inside the root is written through to its real path; one swapped in after the check
 * is replaced by the rename, not followed. Missing parent folders are created.
 */
export async function writeFileInJail(
  jail: Jail,
  userPath: string,
  content: string,
  options: { maxBytes: number },
): Promise<WriteResult> {
  const bytes = Buffer.from(content, 'utf8');
  checkSize(bytes.byteLength, options.maxBytes);
  const target = await jail.resolveForWrite(userPath);
  checkName(path.basename(target.real), userPath);
  let mode: number | undefined;
  if (target.exists) {
    let stats: Stats;
    try {
      const existing = await openInJail(jail, target.real, userPath, READ_FLAGS);
      stats = existing.stats;
      await existing.handle.close();
    } catch (error) {
      // A hard-linked file may be replaced (the rename gives this name a new file; the other
      // names keep the old one): only reading it is refused. Its mode and owner still count.
      if (!(error instanceof PackInputError && error.code === 'hard_link')) throw error;
      stats = await lstat(target.real).catch((caught: unknown) => {
        throw fsError(caught, userPath);
      });
    }
    if (!stats.isFile()) {
      throw new PackInputError(
        'is_directory',
        `"${userPath}" exists and is not a regular file; it cannot be overwritten.`,
      );
    }
    checkWritable(stats, userPath);
    mode = stats.mode & 0o7777;
  }
  const folder = await createFolders(jail, target.existingParent, path.dirname(target.real), userPath);
  await replaceFile(jail, folder, path.basename(target.real), bytes, userPath, mode);
  return { path: target.relative, bytesWritten: bytes.byteLength, created: !target.exists };
}

/**
 * Replaces `oldText` with `newText` in a file inside the jail. `oldText` must occur exactly once
 * unless `replaceAll` is set, so an edit never lands somewhere the model did not mean.
 */
export async function editFileInJail(
  jail: Jail,
  userPath: string,
  edit: { oldText: string; newText: string; replaceAll?: boolean | undefined },
  options: { maxBytes: number },
): Promise<EditResult> {
  if (edit.oldText === '') {
    throw new PackInputError(
      'invalid_edit',
      'oldText is empty. Give the exact text to replace, copied from the file.',
    );
  }
  const target = await jail.resolveExisting(userPath);
  const { text: original, stats, real } = await readWhole(jail, target.real, userPath, options.maxBytes);
  checkWritable(stats, userPath);
  const mode = stats.mode & 0o7777;
  const count = countOccurrences(original, edit.oldText);
  if (count === 0) {
    throw new PackInputError(
      'text_not_found',
      `oldText was not found in "${target.relative}". Read the file and copy the text exactly, including whitespace and line breaks.`,
    );
  }
  if (count > 1 && edit.replaceAll !== true) {
    throw new PackInputError(
      'ambiguous_edit',
      `oldText occurs ${count} times in "${target.relative}". Include more surrounding lines to make it unique, or set replaceAll to true.`,
    );
  }
  const updated = edit.replaceAll
    ? original.split(edit.oldText).join(edit.newText)
    : original.replace(edit.oldText, () => edit.newText);
  const bytes = Buffer.from(updated, 'utf8');
  checkSize(bytes.byteLength, options.maxBytes);
  await replaceFile(jail, path.dirname(real), path.basename(real), bytes, userPath, mode);
  return { path: target.relative, replacements: edit.replaceAll ? count : 1, bytesWritten: bytes.byteLength };
}

/**
 * Refuses to replace a file the process may not write: replacing works by renaming a new file
 * over it, which needs only the folder's permission, so the file's own mode and owner are
 * checked explicitly (a 0444 file, or one owned by another user, would otherwise be replaced,
 * and as root even without an error).
 */
function checkWritable(stats: Stats, userPath: string): void {
  if ((stats.mode & 0o222) === 0) {
    throw new PackInputError(
      'read_only',
      `"${userPath}" is read-only (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}); it is not replaced. Ask the user to make it writable if it should change.`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new PackInputError(
      'not_owner',
      `"${userPath}" belongs to another user; replacing it would change its owner, so it is not written.`,
    );
  }
}

/** Longest file name most file systems accept, in bytes. */
const MAX_NAME_BYTES = 255;

function checkName(name: string, userPath: string): void {
  const length = Buffer.byteLength(name);
  if (length > MAX_NAME_BYTES) {
    throw new PackInputError(
      'name_too_long',
      `A name in "${userPath}" is ${length} bytes long; a file or folder name may have at most ${MAX_NAME_BYTES} bytes. Use a shorter name.`,
    );
  }
}

/**
 * Creates the missing folders between `existing` (a real folder inside the jail) and `folder`,
 * one at a time, each inside a parent that was opened and checked (see `openInJail`), so a parent
 * swapped for a symlink meanwhile does not lead the new folders outside. Returns `folder`.
 */
async function createFolders(
  jail: Jail,
  existing: string,
  folder: string,
  userPath: string,
): Promise<string> {
  const missing = path.relative(existing, folder);
  if (missing === '') return folder;
  let parent = existing;
  for (const name of missing.split(path.sep)) {
    checkName(name, userPath);
    const opened = await openInJail(jail, parent, userPath, FOLDER_FLAGS);
    try {
      await mkdir(path.join(opened.via, name)).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(error, userPath);
      });
      parent = path.join(opened.real, name);
    } finally {
      await opened.handle.close();
    }
  }
  return parent;
}

/**
 * Writes `bytes` to a temporary file in `folder` and renames it over `name`. The folder is opened
 * and checked to be inside the jail first, and on Linux the temporary file and the rename go
 * through the folder's descriptor (`/proc/self/fd/N/...`), so they land in that very folder even
 * if its path is swapped for a symlink meanwhile. After the rename the folder is checked again;
 * if it was moved out of the root during the write, the new file is removed and the call fails.
 */
async function replaceFile(
  jail: Jail,
  folder: string,
  name: string,
  bytes: Buffer,
  userPath: string,
  mode: number | undefined,
) {
  const dir = await openInJail(jail, folder, userPath, FOLDER_FLAGS);
  // A short temporary name: a long file name plus a suffix would exceed the 255-byte limit.
  const temporary = path.join(dir.via, `.plumb-${randomBytes(6).toString('hex')}.tmp`);
  const finalPath = path.join(dir.via, name);
  try {
    try {
      const handle = await open(temporary, WRITE_FLAGS, 0o666);
      try {
        await handle.writeFile(bytes);
        if (mode !== undefined) await handle.chmod(mode);
      } finally {
        await handle.close();
      }
      await jail.beforeRename?.(folder);
      await rename(temporary, finalPath);
    } catch (error) {
      await rm(temporary, { force: true });
      throw fsError(error, userPath);
    }
    const now = (await descriptorPath(dir.handle)) ?? dir.real;
    if (!jail.contains(now)) {
      await rm(finalPath, { force: true });
      throw swapped(userPath);
    }
  } finally {
    await dir.handle.close();
  }
}

async function readWhole(
  jail: Jail,
  real: string,
  userPath: string,
  maxBytes: number,
): Promise<{ text: string; stats: Stats; real: string }> {
  const opened = await openInJail(jail, real, userPath, READ_FLAGS);
  const { handle, stats } = opened;
  try {
    if (!stats.isFile()) throw new PackInputError('not_a_file', `"${userPath}" is not a regular file.`);
    if (stats.size > maxBytes) {
      throw new PackInputError(
        'too_large',
        `"${userPath}" is ${stats.size} bytes, more than the ${maxBytes}-byte limit for edits.`,
      );
    }
    return { text: (await handle.readFile()).toString('utf8'), stats, real: opened.real };
  } finally {
    await handle.close();
  }
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + needle.length)) {
    count++;
  }
  return count;
}

function checkSize(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new PackInputError(
      'too_large',
      `The content is ${size} bytes, more than the ${maxBytes}-byte write limit. Write a smaller file.`,
    );
  }
}
