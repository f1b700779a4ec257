import { pipeline, Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PackRemoteError } from '../errors.js';
import type { ConnectResponse } from './connector.js';

/** A body read up to a cap. */
export interface ReadBody {
  body: Uint8Array;
  truncated: boolean;
}

/**
 * Reads a response body, decompressing gzip / deflate / br, and stops reading (cancelling the
 * transfer) once `maxBytes` of decoded body are in hand, so a huge or endless body (or a
 * decompression bomb) costs at most `maxBytes` plus one chunk.
 */
export async function readBody(
  response: ConnectResponse,
  options: { maxBytes: number; signal: AbortSignal },
): Promise<ReadBody> {
  const { maxBytes, signal } = options;
  let decoder: Transform | undefined;
  try {
    decoder = createDecoder(response.headers['content-encoding']);
  } catch (error) {
    response.cancel();
    throw error;
  }
  let source: AsyncIterable<Uint8Array> = response.body;
  if (decoder) {
    pipeline(Readable.from(response.body, { objectMode: false }), decoder, () => {});
    source = decoder;
  }
  const onAbort = () => {
    response.cancel();
    decoder?.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  try {
    for await (const chunk of source) {
      signal.throwIfAborted();
      if (total + chunk.byteLength > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - total));
        total = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      total += chunk.byteLength;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new PackRemoteError(
      'body_failed',
      `The response body could not be read: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (truncated) onAbort();
  }
  return { body: concat(chunks, total), truncated };
}

function createDecoder(header: string | string[] | undefined): Transform | undefined {
  const encoding = (Array.isArray(header) ? header.join(',') : (header ?? '')).trim().toLowerCase();
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new PackRemoteError(
        'unsupported_encoding',
        `The server sent the body with content-encoding "${encoding}", which cannot be decoded.`,
      );
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const result = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return result;
}
