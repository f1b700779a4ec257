import { PackInputError } from '../errors.js';
import { openInJail, READ_FLAGS } from './descriptor.js';
import type { Jail } from './jail.js';

/** What `read_file` returns. */
export interface ReadResult {
  path: string;
  /** File size in bytes. */
  size: number;
  /** Byte offset the content starts at. */
  offset: number;
  content: string;
  /** True when the file goes on past the returned content. */
  truncated: boolean;
  /** Where to continue reading, when truncated. */
  nextOffset?: number | undefined;
  notice?: string | undefined;
}

/**
 * Reads up to `maxBytes` of a regular file inside the jail, from `offset`. Longer files are cut
 * at a UTF-8 character boundary with a notice saying where to continue; binary files (a NUL byte
 * in the part read) are not returned.
 */
export async function readFileInJail(
  jail: Jail,
  userPath: string,
  options: { offset?: number | undefined; maxBytes: number },
): Promise<ReadResult> {
  const target = await jail.resolveExisting(userPath);
  const offset = options.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new PackInputError('invalid_offset', 'offset must be a whole number of bytes, 0 or more.');
  }
  const { handle, stats } = await openInJail(jail, target.real, userPath, READ_FLAGS);
  try {
    if (stats.isDirectory()) {
      throw new PackInputError('is_directory', `"${userPath}" is a folder. List it instead of reading it.`);
    }
    if (!stats.isFile()) {
      throw new PackInputError(
        'not_a_file',
        `"${userPath}" is not a regular file (a device, socket or pipe).`,
      );
    }
    const size = stats.size;
    const wanted = Math.max(0, Math.min(options.maxBytes, size - offset));
    const buffer = Buffer.alloc(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await handle.read(buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    let length = filled;
    const truncated = offset + filled < size;
    if (truncated) length = characterBoundary(buffer, filled);
    const base = { path: target.relative, size, offset };
    if (buffer.subarray(0, Math.min(length, 8192)).includes(0)) {
      return {
        ...base,
        content: '',
        truncated: false,
        notice: `"${target.relative}" is a binary file (${size} bytes); it is not shown.`,
      };
    }
    const content = buffer.toString('utf8', 0, length);
    if (!truncated) return { ...base, content, truncated: false };
    const next = offset + length;
    return {
      ...base,
      content,
      truncated: true,
      nextOffset: next,
      notice: `Showing bytes ${offset}-${next} of ${size}. Call read_file again with offset ${next} to read more.`,
    };
  } finally {
    await handle.close();
  }
}

/** The largest length <= `end` that does not end inside a UTF-8 character. */
export function characterBoundary(bytes: Uint8Array, end: number): number {
  let start = end - 1;
  const stop = Math.max(0, end - 4);
  while (start > stop && (bytes[start]! & 0xc0) === 0x80) start--;
  if (start < 0) return end;
  const lead = bytes[start]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - start < need ? start : end;
}
