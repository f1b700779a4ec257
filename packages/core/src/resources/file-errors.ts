/** Typed errors for the Files API's limits. */
import { type APIError, BadRequestError, PreflightError } from '../errors/errors.js';

/** DeepSeek's per-file limit: 64 MiB. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Files one account may keep. */
export const MAX_FILES_PER_ACCOUNT = 10_000;

/** A file over 64 MiB, caught before any byte was sent. */
export class FileTooLargeError extends PreflightError {
  override readonly name: string = 'FileTooLargeError';
  /** The file's size in bytes (for a stream: how much was read before stopping). */
  readonly bytes: number;
  readonly limit = MAX_FILE_BYTES;

  constructor(bytes: number, streamed = false) {
    const what = streamed ? `The stream passed ${bytes} bytes` : `The file is ${bytes} bytes`;
    super(
      'file-too-large',
      'file',
      `${what}; DeepSeek accepts at most 64 MiB (${MAX_FILE_BYTES} bytes) per file. Downscale or recompress the image before uploading.`,
    );
    this.bytes = bytes;
  }
}

/**
 * DeepSeek refused an upload because of an account limit: `count` (10,000 files), `storage`
 * (25 GiB in all) or `size` (64 MiB per file, when pre-flight checks are off). Delete files you no
 * longer need (`client.files.delete(id)`) or set `expires_after` on uploads.
 */
export class FileLimitError extends BadRequestError {
  override readonly name: string = 'FileLimitError';
  readonly limit: 'count' | 'storage' | 'size';

  constructor(limit: 'count' | 'storage' | 'size', cause: APIError) {
    const advice =
      limit === 'size'
        ? 'files are limited to 64 MiB each'
        : limit === 'count'
          ? `an account keeps at most ${MAX_FILES_PER_ACCOUNT} files: delete old ones (client.files.delete) or upload with expires_after`
          : 'an account stores at most 25 GiB of files: delete old ones (client.files.delete) or upload with expires_after';
    super({
      status: cause.status,
      message: `${cause.serverMessage} (${advice})`,
      serverMessage: cause.serverMessage,
      type: cause.type,
      code: cause.code,
      param: cause.param,
      headers: cause.headers,
      requestId: cause.requestId,
      error: cause.error,
      cause,
    });
    this.limit = limit;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit };
  }
}
