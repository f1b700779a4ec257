import { Worker } from 'node:worker_threads';
import { PackInputError } from '../errors.js';

/** A file to search: its absolute (jailed) path and the path shown to the model. */
export interface FileToSearch {
  absolute: string;
  path: string;
}

/** One matching line. */
export interface LineMatch {
  path: string;
  line: number;
  text: string;
}

// Plain JavaScript run in a worker thread (eval: true, so it needs no file on disk and works the
// same from source and from dist). It reads each file (regular files up to the size cap, not
// following symlinks, skipping binary ones), checks what it opened as openInJail does (the
// descriptor's real path inside the root; one hard link unless allowed), and tests the pattern
// line by line.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { files, source, flags, maxResults, maxFileBytes, root, allowHardLinks } = workerData;
const regex = new RegExp(source, flags);
const flagsOpen = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0);
const prefix = root.endsWith(path.sep) ? root : root + path.sep;
const inside = (real) => real === root || real.startsWith(prefix);
function openedPath(fd, absolute, stats) {
  try {
    return fs.readlinkSync('/proc/self/fd/' + fd);
  } catch {
    const again = fs.realpathSync(absolute);
    const now = fs.statSync(again);
    return now.dev === stats.dev && now.ino === stats.ino ? again : '';
  }
}
const cut = (text) => {
  const end = text.charCodeAt(199) >= 0xd800 && text.charCodeAt(199) <= 0xdbff ? 199 : 200;
  return text.slice(0, end) + '\u2026';
};
const matches = [];
let hardLinks = 0;
outer: for (const file of files) {
  let text;
  let fd;
  try {
    fd = fs.openSync(file.absolute, flagsOpen);
    const stats = fs.fstatSync(fd);
    if (!stats.isFile() || stats.size > maxFileBytes) continue;
    if (!inside(openedPath(fd, file.absolute, stats))) continue;
    if (stats.nlink > 1 && !allowHardLinks) {
      hardLinks++;
      continue;
    }
    const bytes = fs.readFileSync(fd);
    if (bytes.subarray(0, 8192).includes(0)) continue;
    text = bytes.toString('utf8');
  } catch {
    continue;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const lines = text.split('\\n');
  for (let i = 0; i < lines.length; i++) {
    if (regex.test(lines[i])) {
      const trimmed = lines[i].trim();
      matches.push({ path: file.path, line: i + 1, text: trimmed.length > 200 ? cut(trimmed) : trimmed });
      if (matches.length >= maxResults) break outer;
    }
  }
}
parentPort.postMessage({ matches, hardLinks });
`;

/**
 * Runs a regular-expression search in a worker thread and kills it after `timeoutMs`: JavaScript
 * cannot interrupt a running regex, so a catastrophic pattern would otherwise block the event loop.
 */
export function searchWithRegex(
  files: FileToSearch[],
  regex: RegExp,
  options: {
    maxResults: number;
    maxFileBytes: number;
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    /** The jail's real root: files whose descriptor points elsewhere are skipped. */
    root: string;
    allowHardLinks: boolean;
  },
): Promise<{ matches: LineMatch[]; hardLinks: number }> {
  if (files.length === 0) return Promise.resolve({ matches: [], hardLinks: 0 });
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        files,
        source: regex.source,
        flags: regex.flags,
        maxResults: options.maxResults,
        maxFileBytes: options.maxFileBytes,
        root: options.root,
        allowHardLinks: options.allowHardLinks,
      },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(
        new PackInputError(
          'regex_timeout',
          `The regular expression took longer than ${options.timeoutMs} ms and was stopped. Simplify it (avoid nested quantifiers such as (a+)+) or search for plain text with regex set to false.`,
        ),
      );
    }, options.timeoutMs);
    const onAbort = () => {
      void worker.terminate();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    worker.once('message', (found: { matches: LineMatch[]; hardLinks: number }) => {
      settle();
      resolve(found);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    worker.once('exit', (code) => {
      settle();
      reject(new Error(`The search worker stopped unexpectedly (exit code ${code}).`));
    });
  });
}
