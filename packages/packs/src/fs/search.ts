import { stat } from 'node:fs/promises';
import { cutText } from '@plumb/core';
import { PackInputError } from '../errors.js';
import { openInJail, READ_FLAGS } from './descriptor.js';
import { compileGlob } from './glob.js';
import { fsError, type Jail } from './jail.js';
import { type FileToSearch, type LineMatch, searchWithRegex } from './regex-search.js';
import { walk } from './walk.js';

/** What the model asks `search_files` for. */
export interface SearchQuery {
  /** Folder to search in, relative to the root. Default `.`. */
  path?: string | undefined;
  /** Glob on file names (`*.ts`), or on paths when it contains `/` (`src/*.ts`, `**` spanning folders). */
  name?: string | undefined;
  /** Text to find inside files. */
  content?: string | undefined;
  /** Treat `content` as a regular expression. Default false. */
  regex?: boolean | undefined;
  /** Default false. */
  caseSensitive?: boolean | undefined;
  /** Default and upper bound: the pack's `maxResults`. */
  maxResults?: number | undefined;
}

/** A file found by name, or a line found by content. */
export interface SearchMatch {
  path: string;
  /** 1-based line number, for content matches. */
  line?: number | undefined;
  /** The matching line (trimmed, at most 200 characters), for content matches. */
  text?: string | undefined;
}

/** What `search_files` returns. */
export interface SearchResult {
  matches: SearchMatch[];
  /** True when the search stopped early (result cap or file cap). */
  truncated: boolean;
  filesScanned: number;
  notice?: string | undefined;
}

/** Limits of a search. */
export interface SearchLimits {
  maxResults: number;
  /** Files larger than this are not searched by content. */
  maxFileBytes: number;
  /** At most this many files are looked at. */
  maxFiles: number;
  ignore: ReadonlySet<string>;
  /** A regular-expression search taking longer is stopped. */
  regexTimeoutMs: number;
  /** Stops the search (the tool call's signal). */
  signal?: AbortSignal | undefined;
}

const MAX_CONTENT_PATTERN = 1000;

/**
 * Searches files under a folder inside the jail by name glob and/or content. Substring search
 * runs here; regular expressions run in a worker thread that is killed after `regexTimeoutMs`,
 * so a catastrophic pattern such as `(a+)+$` cannot hang the process.
 */
export async function searchInJail(
  jail: Jail,
  query: SearchQuery,
  limits: SearchLimits,
): Promise<SearchResult> {
  if (!query.name && !query.content) {
    throw new PackInputError('invalid_search', 'Give a name pattern, a content text, or both.');
  }
  if (query.content !== undefined && query.content.length > MAX_CONTENT_PATTERN) {
    throw new PackInputError('invalid_search', `content must be at most ${MAX_CONTENT_PATTERN} characters.`);
  }
  const caseSensitive = query.caseSensitive === true;
  const maxResults = Math.max(1, Math.min(query.maxResults ?? limits.maxResults, limits.maxResults));
  const glob = query.name ? compileGlob(query.name, { caseSensitive }) : undefined;
  const regex = query.content && query.regex ? compileRegex(query.content, caseSensitive) : undefined;
  const folder = await jail.resolveExisting(query.path ?? '.');
  if (
    !(
      await stat(folder.real).catch((error: unknown) => Promise.reject(fsError(error, query.path ?? '.')))
    ).isDirectory()
  ) {
    throw new PackInputError('not_a_directory', `"${query.path}" is a file; search a folder.`);
  }
  const prefix = folder.relative === '.' ? '' : `${folder.relative}/`;

  const files: FileToSearch[] = [];
  let filesScanned = 0;
  let fileCapHit = false;
  const unreadable: string[] = [];
  const walker = walk(jail, folder.real, query.path ?? '.', {
    maxDepth: 64,
    ignore: limits.ignore,
    onUnreadable: (relative) => unreadable.push(`${prefix}${relative}/`),
  });
  for await (const entry of walker) {
    limits.signal?.throwIfAborted();
    if (entry.type !== 'file') continue;
    if (++filesScanned > limits.maxFiles) {
      fileCapHit = true;
      filesScanned--;
      break;
    }
    if (glob && !glob.matches(entry.relative, entry.name)) continue;
    files.push({ absolute: entry.absolute, path: `${prefix}${entry.relative}` });
    if (!query.content && files.length > maxResults) break;
  }

  let matches: SearchMatch[];
  const skipped = { hardLinks: 0 };
  if (!query.content) {
    matches = files.map((file) => ({ path: file.path }));
  } else if (regex) {
    const found = await searchWithRegex(files, regex, {
      maxResults: maxResults + 1,
      maxFileBytes: limits.maxFileBytes,
      timeoutMs: limits.regexTimeoutMs,
      signal: limits.signal,
      root: jail.root,
      allowHardLinks: jail.allowHardLinks,
    });
    matches = found.matches;
    skipped.hardLinks = found.hardLinks;
  } else {
    matches = await searchSubstring(
      jail,
      files,
      query.content,
      caseSensitive,
      maxResults + 1,
      limits,
      skipped,
    );
  }
  const truncated = matches.length > maxResults || fileCapHit;
  const result: SearchResult = { matches: matches.slice(0, maxResults), truncated, filesScanned };
  const notices: string[] = [];
  if (matches.length > maxResults) {
    notices.push(
      `More than ${maxResults} matches; only the first ${maxResults} are shown. Narrow the search.`,
    );
  } else if (fileCapHit) {
    notices.push(`Stopped after ${limits.maxFiles} files. Search a smaller folder or use a name pattern.`);
  }
  if (unreadable.length > 0) {
    notices.push(
      `${unreadable.length} folder${unreadable.length === 1 ? '' : 's'} could not be read and ${unreadable.length === 1 ? 'was' : 'were'} not searched: ${unreadable.slice(0, 20).join(', ')}${unreadable.length > 20 ? ', ...' : ''}.`,
    );
  }
  if (skipped.hardLinks > 0) {
    notices.push(
      `${skipped.hardLinks} file${skipped.hardLinks === 1 ? ' has' : 's have'} more than one hard link and ${skipped.hardLinks === 1 ? 'was' : 'were'} not searched (the developer can allow them with the fsPack option allowHardLinks).`,
    );
  }
  if (notices.length > 0) result.notice = notices.join(' ');
  return result;
}

function compileRegex(pattern: string, caseSensitive: boolean): RegExp {
  try {
    return new RegExp(pattern, caseSensitive ? 'u' : 'iu');
  } catch (error) {
    throw new PackInputError(
      'invalid_regex',
      `content is not a valid regular expression: ${(error as Error).message}. Fix it, or set regex to false for a plain text search.`,
    );
  }
}

async function searchSubstring(
  jail: Jail,
  files: FileToSearch[],
  needle: string,
  caseSensitive: boolean,
  maxResults: number,
  limits: SearchLimits,
  skipped: { hardLinks: number },
): Promise<LineMatch[]> {
  const wanted = caseSensitive ? needle : needle.toLowerCase();
  const matches: LineMatch[] = [];
  for (const file of files) {
    limits.signal?.throwIfAborted();
    const text = await readSmallText(jail, file, limits.maxFileBytes, skipped);
    if (text === undefined) continue;
    const haystack = caseSensitive ? text : text.toLowerCase();
    // Lower-casing can change lengths for a few characters; then show the lower-cased line.
    const shown = haystack.length === text.length ? text : haystack;
    let lineStart = 0;
    let line = 1;
    for (let index = haystack.indexOf(wanted); index !== -1; index = haystack.indexOf(wanted, index + 1)) {
      while (true) {
        const newline = haystack.indexOf('\n', lineStart);
        if (newline === -1 || newline >= index) break;
        lineStart = newline + 1;
        line++;
      }
      const lineEnd = haystack.indexOf('\n', lineStart);
      matches.push({
        path: file.path,
        line,
        text: clip(shown.slice(lineStart, lineEnd === -1 ? undefined : lineEnd)),
      });
      if (matches.length >= maxResults) return matches;
      index = lineEnd === -1 ? haystack.length : lineEnd;
    }
  }
  return matches;
}

/**
 * A text file's content, or undefined when it is too large, binary, unreadable, has several hard
 * links (counted in `skipped`) or was swapped for something outside the jail.
 */
async function readSmallText(
  jail: Jail,
  file: FileToSearch,
  maxBytes: number,
  skipped: { hardLinks: number },
): Promise<string | undefined> {
  let opened: Awaited<ReturnType<typeof openInJail>>;
  try {
    opened = await openInJail(jail, file.absolute, file.path, READ_FLAGS);
  } catch (error) {
    if (error instanceof PackInputError && error.code === 'hard_link') skipped.hardLinks++;
    return undefined;
  }
  const { handle, stats } = opened;
  try {
    if (!stats.isFile() || stats.size > maxBytes) return undefined;
    const bytes = await handle.readFile();
    if (bytes.subarray(0, 8192).includes(0)) return undefined;
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Trims a matched line to at most 200 characters. */
function clip(line: string): string {
  const trimmed = line.trim();
  return trimmed.length > 200 ? `${cutText(trimmed, 200)}…` : trimmed;
}
