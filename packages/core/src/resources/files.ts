/**
 * `client.files`: DeepSeek's Files API (2026-08-21; API reference §15). Uploads are images only,
 * at most 64 MiB each, 10,000 files / 25 GiB per account, free. An uploaded image is used in a
 * message as `{ type: 'file', file_id }` (see `imageFromFileId`).
 *
 * No `node:` import here: a path is read through a dynamic `import('node:fs')` only when a path
 * is given, so the client still loads on runtimes without Node's modules.
 */
import { APIPromise } from '../client/api-promise.js';
import type { RequestOptions } from '../client/options.js';
import { BadRequestError, ConfigError } from '../errors/errors.js';
import { sniffImageType } from '../images/image-type.js';
import type { HttpClient } from '../internal/http/http-client.js';
import { loadFs } from '../internal/node-fs.js';
import { FileLimitError, FileTooLargeError, MAX_FILE_BYTES } from './file-errors.js';

/** An uploaded file as DeepSeek describes it. Fields beyond these are kept as sent. */
export interface FileObject {
  /** `file-api-…`. */
  id: string;
  object: 'file';
  bytes: number;
  /** Unix seconds. */
  created_at: number;
  filename: string;
  purpose: 'user_data' | (string & {});
  /** Unix seconds, when the upload set `expires_after`. */
  expires_at?: number | null | undefined;
  [field: string]: unknown;
}

/** One page of `files.list`. */
export interface FileList {
  object: 'list';
  data: FileObject[];
  /** Whether more files follow; pass `after: <last id>` for the next page. */
  has_more?: boolean | undefined;
  first_id?: string | null | undefined;
  last_id?: string | null | undefined;
  [field: string]: unknown;
}

/** `DELETE /files/{id}`'s answer. */
export interface FileDeleted {
  id: string;
  object: 'file';
  deleted: boolean;
}

/**
 * What to upload: a file path (read when the upload starts, Node/Bun/Deno only), a `Blob` or
 * `File`, bytes, or a stream (a web `ReadableStream` or any async iterable of bytes, such as a
 * Node `Readable`). A stream is read into memory first (a retry must be able to send it again),
 * and reading stops with `FileTooLargeError` as soon as it passes 64 MiB.
 */
export type Uploadable =
  | string
  | Blob
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

export interface FileCreateParams {
  file: Uploadable;
  /** The only purpose DeepSeek accepts. */
  purpose: 'user_data';
  /** Delete the file this many seconds after upload (3600 to 2592000: 1 hour to 30 days). */
  expires_after?: { anchor: 'created_at'; seconds: number } | undefined;
  /** Name sent with the upload. Default: the path's or `File`'s name, else `upload` + extension. */
  filename?: string | undefined;
}

export interface FileListParams {
  /** A file id: list the files after it (the previous page's last id). */
  after?: string | undefined;
  /** 1 to 1000. */
  limit?: number | undefined;
  order?: 'asc' | 'desc' | undefined;
  purpose?: string | undefined;
}

const MIN_EXPIRY_SECONDS = 3600;
const MAX_EXPIRY_SECONDS = 2_592_000;

/** `POST /files`, `GET /files`, `GET /files/{id}`, `DELETE /files/{id}`. */
export class Files {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Uploads an image (multipart). Throws `FileTooLargeError` before sending anything over 64 MiB,
   * and `FileLimitError` when the account's 10,000-file or 25 GiB limit is reached.
   *
   * @example
   * const file = await client.files.create({ file: 'chart.png', purpose: 'user_data' });
   * // then: { role: 'user', content: [imageFromFileId(file.id), { type: 'text', text: '...' }] }
   */
  create(params: FileCreateParams, options?: RequestOptions): APIPromise<FileObject> {
    return new APIPromise(
      (async () => {
        const form = await buildForm(params);
        try {
          return await this.#http.json<FileObject>(
            { method: 'POST', base: 'api', path: '/files', form },
            options,
          );
        } catch (error) {
          throw asFileLimitError(error);
        }
      })(),
    );
  }

  /**
   * One page of uploaded files. Page with `after` (the last id of the previous page), or use
   * `listAll` to walk every page.
   */
  list(params: FileListParams = {}, options?: RequestOptions): APIPromise<FileList> {
    const limit = params.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
      return rejected(
        new ConfigError('limit', `files.list: \`limit\` must be an integer from 1 to 1000, got ${limit}.`),
      );
    }
    if (params.order !== undefined && params.order !== 'asc' && params.order !== 'desc') {
      return rejected(
        new ConfigError(
          'order',
          `files.list: \`order\` must be 'asc' or 'desc', got ${String(params.order)}.`,
        ),
      );
    }
    const query = new URLSearchParams();
    for (const key of ['after', 'limit', 'order', 'purpose'] as const) {
      const value = params[key];
      if (value !== undefined) query.set(key, String(value));
    }
    const search = query.toString();
    return new APIPromise(
      this.#http.json<FileList>(
        { method: 'GET', base: 'api', path: `/files${search ? `?${search}` : ''}` },
        options,
      ),
    );
  }

  /**
   * Every file, page after page (`limit` per request).
   *
   * @example
   * for await (const file of client.files.listAll({ limit: 100 })) console.log(file.id, file.filename);
   */
  async *listAll(
    params: Omit<FileListParams, 'after'> = {},
    options?: RequestOptions,
  ): AsyncGenerator<FileObject> {
    let after: string | undefined;
    for (;;) {
      const page = await this.list({ ...params, ...(after === undefined ? {} : { after }) }, options);
      yield* page.data;
      const last = page.last_id ?? page.data[page.data.length - 1]?.id;
      if (page.has_more !== true || last == null || last === after) return;
      after = last;
    }
  }

  /** `GET /files/{id}`. */
  retrieve(fileId: string, options?: RequestOptions): APIPromise<FileObject> {
    const path = filePath(fileId);
    if (path instanceof ConfigError) return rejected(path);
    return new APIPromise(this.#http.json<FileObject>({ method: 'GET', base: 'api', path }, options));
  }

  /** `DELETE /files/{id}`: `{ id, object: 'file', deleted: true }`. */
  delete(fileId: string, options?: RequestOptions): APIPromise<FileDeleted> {
    const path = filePath(fileId);
    if (path instanceof ConfigError) return rejected(path);
    return new APIPromise(this.#http.json<FileDeleted>({ method: 'DELETE', base: 'api', path }, options));
  }
}

function rejected<T>(error: Error): APIPromise<T> {
  return new APIPromise<T>(Promise.reject(error));
}

function filePath(fileId: unknown): string | ConfigError {
  if (typeof fileId !== 'string' || fileId.trim() === '') {
    return new ConfigError(
      'fileId',
      'Pass the id of an uploaded file, e.g. "file-api-…" (from files.create or files.list).',
    );
  }
  return `/files/${encodeURIComponent(fileId)}`;
}

/** The multipart form: `file`, `purpose`, and `expires_after[anchor]` / `expires_after[seconds]`. */
async function buildForm(params: FileCreateParams): Promise<FormData> {
  if (params === null || typeof params !== 'object') {
    throw new ConfigError('file', "files.create needs `{ file, purpose: 'user_data' }`.");
  }
  if (params.purpose !== 'user_data') {
    throw new ConfigError(
      'purpose',
      `files.create: \`purpose\` must be 'user_data' (the only one DeepSeek accepts), got ${JSON.stringify(params.purpose)}.`,
    );
  }
  const expiry = params.expires_after;
  if (expiry !== undefined) {
    const seconds = expiry?.seconds;
    if (
      expiry?.anchor !== 'created_at' ||
      !Number.isInteger(seconds) ||
      seconds < MIN_EXPIRY_SECONDS ||
      seconds > MAX_EXPIRY_SECONDS
    ) {
      throw new ConfigError(
        'expires_after',
        `files.create: \`expires_after\` must be { anchor: 'created_at', seconds } with seconds an integer from ${MIN_EXPIRY_SECONDS} (1 hour) to ${MAX_EXPIRY_SECONDS} (30 days).`,
      );
    }
  }
  const { blob, name } = await toBlob(params.file);
  const form = new FormData();
  form.append('purpose', 'user_data');
  if (expiry !== undefined) {
    form.append('expires_after[anchor]', 'created_at');
    form.append('expires_after[seconds]', String(expiry.seconds));
  }
  form.append('file', blob, params.filename ?? name ?? defaultName(blob.type));
  return form;
}

function defaultName(type: string): string {
  const extension = type.startsWith('image/') ? type.slice('image/'.length).replace('jpeg', 'jpg') : 'bin';
  return `upload.${extension}`;
}

/** Reads any `Uploadable` into a Blob (typed from its bytes when it had no type), checking the 64 MiB limit. */
async function toBlob(file: Uploadable): Promise<{ blob: Blob; name: string | undefined }> {
  if (typeof file === 'string') return readPath(file);
  if (typeof Blob !== 'undefined' && file instanceof Blob) {
    checkSize(file.size);
    const name = typeof File !== 'undefined' && file instanceof File && file.name ? file.name : undefined;
    return { blob: file.type ? file : await typed(file), name };
  }
  if (file instanceof ArrayBuffer) file = new Uint8Array(file);
  if (file instanceof Uint8Array) {
    checkSize(file.byteLength);
    return {
      blob: new Blob([file as Uint8Array<ArrayBuffer>], { type: sniffImageType(file) ?? '' }),
      name: undefined,
    };
  }
  if (isAsyncIterable(file) || isReadableStream(file)) {
    const bytes = await readStream(file);
    return { blob: new Blob([bytes], { type: sniffImageType(bytes) ?? '' }), name: streamName(file) };
  }
  throw new ConfigError(
    'file',
    'files.create: `file` must be a path, a Blob/File, bytes (Uint8Array/ArrayBuffer) or a stream of bytes.',
  );
}

async function typed(blob: Blob): Promise<Blob> {
  const head = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
  const type = sniffImageType(head);
  return type ? new Blob([blob], { type }) : blob;
}

function checkSize(bytes: number): void {
  if (bytes > MAX_FILE_BYTES) throw new FileTooLargeError(bytes);
}

async function readPath(path: string): Promise<{ blob: Blob; name: string }> {
  if (path.trim() === '') throw new ConfigError('file', 'files.create: `file` is an empty path.');
  const fs = await loadFs('file');
  let size: number;
  try {
    size = (await fs.stat(path)).size;
  } catch (error) {
    throw new ConfigError(
      'file',
      `files.create: cannot read ${JSON.stringify(path)}: ${(error as Error).message}`,
    );
  }
  checkSize(size);
  const bytes = await fs.readFile(path);
  checkSize(bytes.byteLength);
  const name = path.split(/[\\/]/).pop() || 'upload';
  return { blob: new Blob([bytes], { type: sniffImageType(bytes) ?? '' }), name };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof (value as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] === 'function';
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as { getReader?: unknown })?.getReader === 'function';
}

/** A Node `fs.ReadStream` knows its path. */
function streamName(stream: unknown): string | undefined {
  const path = (stream as { path?: unknown }).path;
  return typeof path === 'string' ? path.split(/[\\/]/).pop() || undefined : undefined;
}

async function readStream(
  stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const take = (chunk: Uint8Array | string) => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > MAX_FILE_BYTES) throw new FileTooLargeError(size, true);
    chunks.push(bytes);
  };
  if (isAsyncIterable(stream)) {
    for await (const chunk of stream) take(chunk);
  } else {
    const reader = (stream as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        take(value);
      }
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    } finally {
      reader.releaseLock();
    }
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** DeepSeek's 400 for a full account (or an oversized file), as a typed error. */
function asFileLimitError(error: unknown): unknown {
  if (!(error instanceof BadRequestError) && (error as { status?: unknown })?.status !== 413) return error;
  const apiError = error as BadRequestError;
  const text = apiError.serverMessage ?? '';
  const limit = /file count|number of files|too many files|10,?000 files/i.test(text)
    ? 'count'
    : /storage|25 ?GiB|quota/i.test(text)
      ? 'storage'
      : /too large|file size|64 ?MiB/i.test(text) || apiError.status === 413
        ? 'size'
        : undefined;
  return limit === undefined ? error : new FileLimitError(limit, apiError);
}
