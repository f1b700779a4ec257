/**
 * `node:fs/promises`, loaded only when a file path is read (Node, Bun, Deno). The import sits in a
 * `try` block so bundlers for browsers and Workers leave it out instead of failing, and the rest
 * of the client keeps working there with bytes, Blobs and streams.
 */
import { ConfigError } from '../errors/errors.js';

export async function loadFs(field: string): Promise<typeof import('node:fs/promises')> {
  try {
    return await import('node:fs/promises');
  } catch {
    throw new ConfigError(
      field,
      'Reading a file path needs node:fs (Node, Bun, Deno); on this runtime pass the bytes, a Blob or a stream instead.',
    );
  }
}
