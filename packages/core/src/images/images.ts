/**
 * Image input (API reference §2.1): parts for user messages and tool results on a vision model
 * (`deepseek-flash`). JPEG, PNG, GIF or WebP; a link (http(s), at most 8192 characters), the bytes
 * as a data URL, or an uploaded file's id. `detail: 'low'` downscales to 512×512; `high`,
 * `original` and `auto` keep the original. An image costs at most 384 prompt tokens.
 */
import { ConfigError } from '../errors/errors.js';
import { loadFs } from '../internal/node-fs.js';
import type { FileContentPart, ImageContentPart } from '../wire/wire-types.js';
import { type ImageMediaType, sniffImageType } from './image-type.js';

export type ImageDetail = 'low' | 'high' | 'original' | 'auto';

export interface ImageOptions {
  detail?: ImageDetail | undefined;
}

/** The most prompt tokens one image costs (DeepSeek's published cap). */
export const MAX_IMAGE_TOKENS = 384;
const MAX_LINK_LENGTH = 8192;
const DETAILS: readonly string[] = ['low', 'high', 'original', 'auto'];

function withDetail(url: string, options: ImageOptions | undefined): ImageContentPart {
  const detail = options?.detail;
  if (detail !== undefined && !DETAILS.includes(detail)) {
    throw new ConfigError(
      'detail',
      `Image detail must be 'low', 'high', 'original' or 'auto', got ${JSON.stringify(detail)}.`,
    );
  }
  return { type: 'image_url', image_url: detail === undefined ? { url } : { url, detail } };
}

/**
 * An image by link. DeepSeek downloads it (at most 32 MiB, 60 s).
 *
 * @example
 * { role: 'user', content: [imageFromUrl('https://example.com/chart.png', { detail: 'low' }), { type: 'text', text: 'Describe it' }] }
 */
export function imageFromUrl(url: string | URL, options?: ImageOptions): ImageContentPart {
  const text = String(url);
  if (text.startsWith('data:image/')) return withDetail(text, options);
  if (!/^https?:\/\//i.test(text)) {
    throw new ConfigError(
      'url',
      `imageFromUrl needs an http(s) link or a data:image/... URL, got ${JSON.stringify(text.slice(0, 80))}.`,
    );
  }
  if (text.length > MAX_LINK_LENGTH) {
    throw new ConfigError(
      'url',
      `Image links are limited to ${MAX_LINK_LENGTH} characters (this one has ${text.length}); upload the image with client.files.create instead.`,
    );
  }
  return withDetail(text, options);
}

/** An image from its bytes, sent inline as a base64 data URL (the format is read from the bytes). */
export function imageFromBytes(
  bytes: Uint8Array | ArrayBuffer,
  options?: ImageOptions & { mediaType?: ImageMediaType | undefined },
): ImageContentPart {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const type = sniffImageType(view) ?? options?.mediaType;
  if (type === undefined) {
    throw new ConfigError(
      'image',
      'These bytes are not a JPEG, PNG, GIF or WebP image (the formats DeepSeek takes).',
    );
  }
  return withDetail(`data:${type};base64,${toBase64(view)}`, options);
}

/** An image read from a file path (Node, Bun, Deno: `node:fs` is loaded only here). */
export async function imageFromFile(path: string, options?: ImageOptions): Promise<ImageContentPart> {
  const { readFile } = await loadFs('path');
  return imageFromBytes(await readFile(path), options);
}

/** An image uploaded with `client.files.create`, by id. */
export function imageFromFileId(fileId: string): FileContentPart {
  if (typeof fileId !== 'string' || fileId.trim() === '') {
    throw new ConfigError('fileId', 'imageFromFileId needs the id of an uploaded file, e.g. "file-api-…".');
  }
  return { type: 'file', file_id: fileId };
}

/** Whether a content part is an image (a link, inline bytes or an uploaded file). */
export function isImagePart(part: unknown): boolean {
  const type = (part as { type?: unknown } | null)?.type;
  return type === 'image_url' || type === 'file';
}

function toBase64(bytes: Uint8Array): string {
  const buffer = (
    globalThis as { Buffer?: { from(bytes: Uint8Array): { toString(encoding: string): string } } }
  ).Buffer;
  if (buffer) return buffer.from(bytes).toString('base64');
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}
