import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { PackInputError } from '../errors.js';
import { fsError, type Jail } from './jail.js';
import { READ_FLAGS } from './read.js';

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
  let mode: number | undefined;
  if (target.exists) {
    const stats = await stat(target.real);
    if (!stats.isFile()) {
      throw new PackInputError(
        'is_directory',
        `"${userPath}" exists and is not a regular file; it cannot be overwritten.`,
      );
    }
    mode = stats.mode & 0o7777;
  }
  const folder = path.dirname(target.real);
  if (!target.exists && folder !== target.existingParent) {
    await mkdir(folder, { recursive: true }).catch((error: unknown) => {
      throw fsError(error, userPath);
    });
  }
  await replaceFile(jail, folder, target.real, bytes, userPath, mode);
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
  const { text: original, mode } = await readWhole(target.real, userPath, options.maxBytes);
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
  await replaceFile(jail, path.dirname(target.real), target.real, bytes, userPath, mode);
  return { path: target.relative, replacements: edit.replaceAll ? count : 1, bytesWritten: bytes.byteLength };
}

async function replaceFile(
  jail: Jail,
  folder: string,
  target: string,
  bytes: Buffer,
  userPath: string,
  mode: number | undefined,
) {
  // The folder is resolved again right before writing, so a folder swapped for a symlink since the
  // first check is still caught.
  const realFolder = await realpath(folder).catch((error: unknown) => {
    throw fsError(error, userPath);
  });
  if (!jail.contains(realFolder)) {
    throw new PackInputError(
      'outside_root',
      `"${userPath}" points outside the workspace root; it cannot be written.`,
    );
  }
  const finalPath = path.join(realFolder, path.basename(target));
  const temporary = path.join(realFolder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, WRITE_FLAGS, 0o666);
    try {
      await handle.writeFile(bytes);
      if (mode !== undefined) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(temporary, finalPath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw fsError(error, userPath);
  }
}

async function readWhole(
  real: string,
  userPath: string,
  maxBytes: number,
): Promise<{ text: string; mode: number }> {
  const handle = await open(real, READ_FLAGS).catch((error: unknown) => {
    throw fsError(error, userPath);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new PackInputError('not_a_file', `"${userPath}" is not a regular file.`);
    if (stats.size > maxBytes) {
      throw new PackInputError(
        'too_large',
        `"${userPath}" is ${stats.size} bytes, more than the ${maxBytes}-byte limit for edits.`,
      );
    }
    return { text: (await handle.readFile()).toString('utf8'), mode: stats.mode & 0o7777 };
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
