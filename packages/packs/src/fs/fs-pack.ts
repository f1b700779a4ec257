import { type AnyTool, type ToolPack, tool, toolPack } from '@plumb/tools';
import { z } from 'zod/v4';
import { PackConfigError, PackError, PackInputError } from '../errors.js';
import {
  BOOLEAN,
  COMMON_OPTIONS,
  checkPackOptions,
  POSITIVE_INTEGER,
  STRING,
  STRINGS,
} from '../option-checks.js';
import { type CommonPackOptions, packDefaults, positiveInteger } from '../pack-options.js';
import { Jail } from './jail.js';
import { listInJail } from './list.js';
import { readFileInJail } from './read.js';
import { searchInJail } from './search.js';
import { editFileInJail, writeFileInJail } from './write.js';

/** Options of {@link fsPack}. */
export interface FsPackOptions extends CommonPackOptions {
  /** The folder the tools may see. Resolved to its real path when the pack is built; must exist. */
  root: string;
  /** Add `write_file` and `edit_file`. Default false: read-only. */
  allowWrite?: boolean | undefined;
  /**
   * Ask a person before every `write_file` and `edit_file` call (reads never ask). Default true:
   * no `needsApproval` predicate is needed. `false` leaves writes to `needsApproval`.
   */
  approveWrites?: boolean | undefined;
  /**
   * Read and search regular files that have more than one hard link. Default false: such a file
   * may be a link to a file outside the root (a hard link cannot be told from the original), so
   * it is refused.
   */
  allowHardLinks?: boolean | undefined;
  /** Bytes `read_file` returns per call (longer files are paged with `offset`). Default 262 144 (256 KiB). */
  maxReadBytes?: number | undefined;
  /** Largest file `write_file` / `edit_file` will produce, and largest file `edit_file` edits. Default 1 048 576 (1 MiB). */
  maxWriteBytes?: number | undefined;
  /** Most matches `search_files` returns. Default 100. */
  maxSearchResults?: number | undefined;
  /** Most files `search_files` looks at. Default 10 000. */
  maxSearchFiles?: number | undefined;
  /** Files larger than this are skipped by content search. Default 1 048 576. */
  maxSearchFileBytes?: number | undefined;
  /** Most entries `list_directory` returns. Default 1000. */
  maxListEntries?: number | undefined;
  /** Folder names that recursive listing and search do not enter. Default `['.git', 'node_modules']`. */
  ignore?: readonly string[] | undefined;
  /** A regular-expression search running longer is stopped. Default 2000 ms. */
  regexTimeoutMs?: number | undefined;
  /** Per-call timeout of the pack's tools. Default 30 000 ms. */
  timeoutMs?: number | undefined;
}

const NAME = 'fsPack';

/**
 * Safety net around each tool: a Node file-system error that escaped the mapping in jail.ts would
 * carry the host's absolute paths in its message; the model gets a root-relative one instead.
 */
function relativeErrors<Args, Context, Result>(
  root: string,
  execute: (args: Args, context: Context) => Promise<Result>,
): (args: Args, context: Context) => Promise<Result> {
  return async (args, context) => {
    try {
      return await execute(args, context);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (error instanceof PackError || typeof code !== 'string' || !(error instanceof Error)) throw error;
      throw new PackInputError('fs_error', error.message.replaceAll(root, '.'), { cause: error });
    }
  };
}

const OPTION_TYPES = {
  ...COMMON_OPTIONS,
  root: STRING,
  allowWrite: BOOLEAN,
  approveWrites: BOOLEAN,
  allowHardLinks: BOOLEAN,
  maxReadBytes: POSITIVE_INTEGER,
  maxWriteBytes: POSITIVE_INTEGER,
  maxSearchResults: POSITIVE_INTEGER,
  maxSearchFiles: POSITIVE_INTEGER,
  maxSearchFileBytes: POSITIVE_INTEGER,
  maxListEntries: POSITIVE_INTEGER,
  ignore: STRINGS,
  regexTimeoutMs: POSITIVE_INTEGER,
  timeoutMs: POSITIVE_INTEGER,
};

/**
 * File-system tools confined to one folder: `list_directory`, `read_file`, `search_files`, and
 * with `allowWrite: true` also `write_file` and `edit_file`. Every path is resolved to its real
 * path and must stay inside the (real) root; escapes through `..`, absolute paths, symlinks or
 * NUL bytes are refused with a message the model can read.
 *
 * @example
 * const agent = new Agent({ tools: [fsPack({ root: './workspace', allowWrite: true })] });
 */
export function fsPack(options: FsPackOptions): ToolPack {
  checkPackOptions(NAME, options, OPTION_TYPES);
  if (typeof options?.root !== 'string' || options.root.trim() === '') {
    throw new PackConfigError(
      `${NAME}: root is required: the folder the tools may see, e.g. fsPack({ root: './workspace' }).`,
    );
  }
  const jail = new Jail(options.root, { allowHardLinks: options.allowHardLinks });
  const maxReadBytes = positiveInteger(NAME, 'maxReadBytes', options.maxReadBytes, 262_144);
  const maxWriteBytes = positiveInteger(NAME, 'maxWriteBytes', options.maxWriteBytes, 1_048_576);
  const maxListEntries = positiveInteger(NAME, 'maxListEntries', options.maxListEntries, 1000);
  const ignore = new Set(options.ignore ?? ['.git', 'node_modules']);
  const searchLimits = {
    maxResults: positiveInteger(NAME, 'maxSearchResults', options.maxSearchResults, 100),
    maxFiles: positiveInteger(NAME, 'maxSearchFiles', options.maxSearchFiles, 10_000),
    maxFileBytes: positiveInteger(NAME, 'maxSearchFileBytes', options.maxSearchFileBytes, 1_048_576),
    regexTimeoutMs: positiveInteger(NAME, 'regexTimeoutMs', options.regexTimeoutMs, 2000),
    ignore,
  };
  const timeoutMs = positiveInteger(NAME, 'timeoutMs', options.timeoutMs, 30_000);
  const where =
    'Paths are relative to the workspace root ("." is the root); nothing outside it can be reached.';

  const tools: AnyTool[] = [
    tool({
      name: 'list_directory',
      description: `List the files and folders in a folder of the workspace (folders end with "/"). ${where}`,
      parameters: z.object({
        path: z.string().default('.').describe('Folder to list, e.g. "." or "src".'),
        recursive: z
          .boolean()
          .default(false)
          .describe(`Also list subfolders (not inside ${[...ignore].join(', ') || 'none'}).`),
      }),
      execute: relativeErrors(jail.root, ({ path, recursive }) =>
        listInJail(jail, path, { recursive, maxEntries: maxListEntries, ignore }),
      ),
    }),
    tool({
      name: 'read_file',
      description: `Read a text file of the workspace. Returns up to ${maxReadBytes} bytes; for longer files a note says which offset to read next. ${where}`,
      parameters: z.object({
        path: z.string().describe('File to read, e.g. "src/index.ts".'),
        offset: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Byte offset to start at (from a previous truncated read).'),
      }),
      execute: relativeErrors(jail.root, async ({ path, offset }) => {
        const result = await readFileInJail(jail, path, { offset, maxBytes: maxReadBytes });
        return result.notice === undefined ? result.content : `${result.content}\n\n[${result.notice}]`;
      }),
    }),
    tool({
      name: 'search_files',
      description: `Find files by name (glob such as "*.ts" or "src/**/*.test.ts") and/or lines containing a text (or a regular expression with regex: true). Folders ${[...ignore].join(', ')} are skipped. ${where}`,
      parameters: z.object({
        path: z.string().default('.').describe('Folder to search in.'),
        name: z
          .string()
          .optional()
          .describe(
            'Glob on file names, or on paths when it contains "/": * ** ? [abc] [!a-z] {a,b} (no "!" negation, no extglobs such as +(a|b)).',
          ),
        content: z.string().optional().describe('Text to find inside files (one match per line).'),
        regex: z.boolean().default(false).describe('Treat content as a JavaScript regular expression.'),
        caseSensitive: z.boolean().default(false),
        maxResults: z.number().int().min(1).max(searchLimits.maxResults).optional(),
      }),
      execute: relativeErrors(jail.root, (query, { signal }) =>
        searchInJail(jail, query, { ...searchLimits, signal }),
      ),
    }),
  ];
  // Writes ask a person by default; a tool's own needsApproval wins over the pack's.
  const writeApproval = options.approveWrites === false ? {} : { needsApproval: true };
  if (options.allowWrite === true) {
    tools.push(
      tool({
        name: 'write_file',
        description: `Create or overwrite a whole text file in the workspace (missing folders are created; at most ${maxWriteBytes} bytes). Prefer edit_file for changes to an existing file. ${where}`,
        parameters: z.object({
          path: z.string().describe('File to write, e.g. "notes/todo.md".'),
          content: z.string().describe('The complete new content of the file.'),
        }),
        execute: relativeErrors(jail.root, ({ path, content }) =>
          writeFileInJail(jail, path, content, { maxBytes: maxWriteBytes }),
        ),
        ...writeApproval,
      }),
      tool({
        name: 'edit_file',
        description: `Replace an exact piece of text in a file of the workspace. oldText must match the file exactly (including whitespace) and occur once, unless replaceAll is true. ${where}`,
        parameters: z.object({
          path: z.string().describe('File to edit.'),
          oldText: z.string().describe('The exact text to replace, copied from the file.'),
          newText: z.string().describe('The replacement text.'),
          replaceAll: z.boolean().default(false).describe('Replace every occurrence instead of exactly one.'),
        }),
        execute: relativeErrors(jail.root, ({ path, ...edit }) =>
          editFileInJail(jail, path, edit, { maxBytes: maxWriteBytes }),
        ),
        ...writeApproval,
      }),
    );
  }
  return toolPack({
    name: 'fs',
    description: `Read${options.allowWrite ? ', search and write' : ' and search'} files inside ${jail.root}`,
    tools,
    timeoutMs,
    ...packDefaults(options),
  });
}
