import { realpathSync, statSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { PackConfigError, PackInputError } from '../errors.js';

/** A path the jail accepted, inside the root. */
export interface JailedPath {
  /** The real (symlink-free) absolute path. */
  real: string;
  /** The path relative to the root with `/` separators (`.` for the root), as shown to the model. */
  relative: string;
}

/** A path accepted for writing: the file may not exist yet, nor its parent folders. */
export interface WritablePath extends JailedPath {
  exists: boolean;
  /** The real path of the nearest folder that exists. */
  existingParent: string;
}

/** Options of a {@link Jail}. */
export interface JailOptions {
  /** Read and search regular files with more than one hard link. Default false. */
  allowHardLinks?: boolean | undefined;
  /**
   * Called with each resolved path right before it is opened. A seam for tests, which use it to
   * play the other process that swaps a folder for a symlink at the worst moment.
   * @internal
   */
  beforeOpen?: ((real: string) => void | Promise<void>) | undefined;
  /** Called with the folder right before a write's rename. A seam for tests, like `beforeOpen`. @internal */
  beforeRename?: ((folder: string) => void | Promise<void>) | undefined;
}

/**
 * Confines paths to one root folder. Every path is resolved to its REAL path (symlinks followed,
 * also for the nearest existing parent of a path being created) and must stay inside the real
 * root. `..` that leaves the root, absolute paths, NUL bytes and symlinks pointing out (to a file
 * or a folder, directly or through an intermediate folder) are refused with a message the model
 * can act on.
 */
export class Jail {
  /** The real path of the root. */
  readonly root: string;
  readonly allowHardLinks: boolean;
  readonly beforeOpen: JailOptions['beforeOpen'];
  readonly beforeRename: JailOptions['beforeRename'];
  readonly #prefix: string;

  /** Resolves `root` to its real path now; a missing root or a file is a {@link PackConfigError}. */
  constructor(root: string, options: JailOptions = {}) {
    this.allowHardLinks = options.allowHardLinks === true;
    this.beforeOpen = options.beforeOpen;
    this.beforeRename = options.beforeRename;
    let real: string;
    try {
      real = realpathSync.native(path.resolve(root));
    } catch (error) {
      throw new PackConfigError(
        `fsPack: root "${root}" does not exist. Create the folder or pass another root.`,
        {
          cause: error,
        },
      );
    }
    if (!statSync(real).isDirectory()) {
      throw new PackConfigError(`fsPack: root "${root}" is not a folder.`);
    }
    this.root = real;
    this.#prefix = real.endsWith(path.sep) ? real : real + path.sep;
  }

  /** Whether a real path is the root or inside it. */
  contains(real: string): boolean {
    return real === this.root || real.startsWith(this.#prefix);
  }

  /** The root-relative display form of a real path inside the root. */
  relative(real: string): string {
    const relative = path.relative(this.root, real);
    return relative === '' ? '.' : relative.split(path.sep).join('/');
  }

  /** Resolves a path that must exist (for reading, listing, editing). */
  async resolveExisting(userPath: string): Promise<JailedPath> {
    const lexical = this.#lexical(userPath);
    let real: string;
    try {
      real = await realpath(lexical);
    } catch (error) {
      throw fsError(error, userPath);
    }
    this.#checkInside(real, userPath);
    return { real, relative: this.relative(real) };
  }

  /**
   * Resolves a path to write: an existing file (by its real path), or a new one under the nearest
   * existing parent, whose real path must be inside the root. A dangling symlink is refused:
   * writing through it would create its target, which may be outside.
   */
  async resolveForWrite(userPath: string): Promise<WritablePath> {
    const lexical = this.#lexical(userPath);
    if (lexical === this.root)
      throw new PackInputError('is_directory', 'The root folder itself cannot be written.');
    try {
      const real = await realpath(lexical);
      this.#checkInside(real, userPath);
      return { real, relative: this.relative(real), exists: true, existingParent: path.dirname(real) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        if (error instanceof PackInputError) throw error;
        throw fsError(error, userPath);
      }
    }
    const missing: string[] = [];
    let current = lexical;
    for (;;) {
      const isLink = await lstat(current).then(
        (stats) => stats.isSymbolicLink(),
        () => false,
      );
      if (isLink) {
        throw new PackInputError(
          'dangling_symlink',
          `"${userPath}" goes through a symbolic link whose target does not exist; it cannot be written. Write to a regular path inside the workspace.`,
        );
      }
      missing.unshift(path.basename(current));
      current = path.dirname(current);
      let parent: string;
      try {
        parent = await realpath(current);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw fsError(error, userPath);
      }
      this.#checkInside(parent, userPath);
      const real = path.join(parent, ...missing);
      return { real, relative: this.relative(real), exists: false, existingParent: parent };
    }
  }

  /** Checks the text of a path and resolves it against the root without touching the disk. */
  #lexical(userPath: string): string {
    if (userPath.includes('\0')) {
      throw new PackInputError('nul_byte', 'The path contains a NUL byte, which is never valid. Remove it.');
    }
    if (userPath.length > 4096)
      throw new PackInputError('path_too_long', 'The path is longer than 4096 characters.');
    if (path.isAbsolute(userPath) || path.win32.isAbsolute(userPath) || /^[a-zA-Z]:/.test(userPath)) {
      throw new PackInputError(
        'absolute_path',
        `"${userPath}" is an absolute path. Use a path relative to the workspace root, such as "src/index.ts" or ".".`,
      );
    }
    const lexical = path.resolve(this.root, userPath === '' ? '.' : userPath);
    if (!this.contains(lexical)) {
      throw new PackInputError(
        'outside_root',
        `"${userPath}" points outside the workspace root. Use paths inside it, such as "src/index.ts" or ".".`,
      );
    }
    return lexical;
  }

  #checkInside(real: string, userPath: string): void {
    if (!this.contains(real)) {
      throw new PackInputError(
        'outside_root',
        `"${userPath}" is (or goes through) a symbolic link that points outside the workspace root; it cannot be used.`,
      );
    }
  }
}

/** Turns a Node file-system error into a model-readable {@link PackInputError}. */
export function fsError(error: unknown, userPath: string): Error {
  if (error instanceof PackInputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new PackInputError(
        'not_found',
        `"${userPath}" does not exist. List the folder to see what is there.`,
      );
    case 'ENOTDIR':
      return new PackInputError(
        'not_found',
        `"${userPath}" does not exist: a part of it is a file, not a folder.`,
      );
    case 'ELOOP':
      return new PackInputError(
        'symlink_loop',
        `"${userPath}" is a symbolic link that loops or cannot be followed.`,
      );
    case 'EACCES':
    case 'EPERM':
      return new PackInputError(
        'permission_denied',
        `"${userPath}" cannot be read or written: permission denied.`,
      );
    case 'EISDIR':
      return new PackInputError('is_directory', `"${userPath}" is a folder, not a file.`);
    case 'EEXIST':
      return new PackInputError('exists', `"${userPath}" already exists.`);
    case 'ENAMETOOLONG':
      return new PackInputError(
        'name_too_long',
        `"${userPath}" is too long for the file system (a file or folder name may have at most 255 bytes). Use a shorter name.`,
      );
    case 'EROFS':
      return new PackInputError(
        'read_only',
        `"${userPath}" is on a read-only file system; it cannot be written.`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new PackInputError('no_space', `There is no space left to write "${userPath}".`);
    default:
      // Never the raw message: Node's errno texts carry the host's absolute paths.
      return new PackInputError(
        'fs_error',
        `The file operation on "${userPath}" failed${typeof code === 'string' ? ` (${code})` : ''}.`,
        { cause: error },
      );
  }
}
