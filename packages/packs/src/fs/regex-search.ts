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
// following symlinks, skipping binary ones) and tests the pattern line by line.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { files, source, flags, maxResults, maxFileBytes } = workerData;
const regex = new RegExp(source, flags);
const flagsOpen = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0);
const matches = [];
outer: for (const file of files) {
  let text;
  let fd;
  try {
    fd = fs.openSync(file.absolute, flagsOpen);
    const stats = fs.fstatSync(fd);
    if (!stats.isFile() || stats.size > maxFileBytes) continue;
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
      matches.push({ path: file.path, line: i + 1, text: trimmed.length > 200 ? trimmed.slice(0, 200) + '\\u2026' : trimmed });
      if (matches.length >= maxResults) break outer;
    }
  }
}
parentPort.postMessage(matches);
`;

/**
 * Runs a regular-expression search in a worker thread and kills it after `timeoutMs`: JavaScript
 * cannot interrupt a running regex, so a catastrophic pattern would otherwise block the event loop.
 */
export function searchWithRegex(
  files: FileToSearch[],
  regex: RegExp,
  options: { maxResults: number; maxFileBytes: number; timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<LineMatch[]> {
  if (files.length === 0) return Promise.resolve([]);
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
    worker.once('message', (matches: LineMatch[]) => {
      settle();
      resolve(matches);
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
