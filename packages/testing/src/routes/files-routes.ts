import type { Exchange } from '../http/exchange.js';
import { StateSlot } from '../state.js';
import { badRequest, EmulatorHttpError } from '../wire/errors.js';
import { sniffImage } from '../wire/images.js';

/**
 * DeepSeek's Files API (API reference §15): `POST /files` (multipart `file`, `purpose=user_data`,
 * optional `expires_after[anchor]=created_at` + `expires_after[seconds]` 3600-2592000),
 * `GET /files` (`after`, `limit` 1-1000, `order`, `purpose`), `GET /files/{id}`,
 * `DELETE /files/{id}`. Images only, 64 MiB per file, 10,000 files / 25 GiB per account. The
 * error texts are invented (no capture exists); they name the limit.
 */

/** An uploaded file the emulator keeps (the bytes too, so image parts can refer to it). */
export interface StoredFile {
  id: string;
  bytes: Buffer;
  createdAt: number;
  filename: string;
  purpose: string;
  expiresAt: number | undefined;
  mediaType: string;
}

/** Uploads of the Files API, by id, in upload order; `reset()` deletes them. */
const FILES = new StateSlot(
  () => new Map<string, StoredFile>(),
  (files) => files.clear(),
);

const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_FILES = 10_000;
const MAX_STORAGE_BYTES = 25 * 1024 * 1024 * 1024;

const fileTexts = {
  tooLarge: (bytes: number) =>
    `File too large: ${bytes} bytes. The maximum file size is 64 MiB (${MAX_FILE_BYTES} bytes).`,
  tooMany: (limit: number) =>
    `File count limit reached: an account can keep at most ${limit} files. Delete files you no longer need.`,
  storage:
    'File storage limit reached: an account can store at most 25 GiB of files. Delete files you no longer need.',
  notImage: 'Unsupported file type: only images (JPEG, PNG, GIF, WebP) can be uploaded.',
  purpose: (purpose: string) => `Invalid 'purpose': ${JSON.stringify(purpose)}. Expected 'user_data'.`,
  missingFile: "Missing required multipart field 'file'.",
  expiresAfter:
    "Invalid 'expires_after': anchor must be 'created_at' and seconds an integer from 3600 to 2592000.",
  notMultipart: 'Expected a multipart/form-data body.',
  limit: "Invalid 'limit': expected an integer from 1 to 1000.",
  order: "Invalid 'order': expected 'asc' or 'desc'.",
  notFound: (id: string) => `No such file: ${id}`,
};

function objectOf(file: StoredFile): Record<string, unknown> {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes.byteLength,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    ...(file.expiresAt === undefined ? {} : { expires_at: file.expiresAt }),
  };
}

/** Files past their `expires_at` are gone, as on the real service. */
function sweep(exchange: Exchange): Map<string, StoredFile> {
  const files = FILES.of(exchange.state);
  const now = Math.floor(exchange.state.now() / 1000);
  for (const [id, file] of files) if (file.expiresAt !== undefined && file.expiresAt <= now) files.delete(id);
  return files;
}

/** A stored file by id (for `{ type: 'file', file_id }` image parts), or undefined. */
export function findFile(exchange: Exchange, id: string): StoredFile | undefined {
  return sweep(exchange).get(id);
}

export async function handleFileCreate(exchange: Exchange): Promise<void> {
  const { state, request } = exchange;
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) throw badRequest(fileTexts.notMultipart);
  let form: FormData;
  try {
    // undici's multipart parser (Node's fetch), rather than a hand-written one.
    form = await new Request('http://emulator/files', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(exchange.bytes ?? Buffer.alloc(0)),
    }).formData();
  } catch {
    throw badRequest(fileTexts.notMultipart);
  }
  const purpose = form.get('purpose');
  if (purpose !== 'user_data') throw badRequest(fileTexts.purpose(String(purpose ?? '')));
  const upload = form.get('file');
  if (upload === null || typeof upload === 'string') throw badRequest(fileTexts.missingFile);
  const files = sweep(exchange);
  const limits = state.options.files ?? {};
  const maxBytes = limits.maxFileBytes ?? MAX_FILE_BYTES;
  if (upload.size > maxBytes) throw badRequest(fileTexts.tooLarge(upload.size));
  const maxFiles = limits.maxFiles ?? MAX_FILES;
  if (files.size >= maxFiles) throw badRequest(fileTexts.tooMany(maxFiles));
  let stored = 0;
  for (const file of files.values()) stored += file.bytes.byteLength;
  if (stored + upload.size > (limits.maxStorageBytes ?? MAX_STORAGE_BYTES))
    throw badRequest(fileTexts.storage);
  const bytes = Buffer.from(await upload.arrayBuffer());
  const mediaType = sniffImage(bytes);
  if (mediaType === undefined) throw badRequest(fileTexts.notImage);
  const createdAt = Math.floor(state.now() / 1000);
  let expiresAt: number | undefined;
  const anchor = form.get('expires_after[anchor]');
  const seconds = form.get('expires_after[seconds]');
  if (anchor !== null || seconds !== null) {
    const value = Number(seconds);
    if (anchor !== 'created_at' || !Number.isInteger(value) || value < 3600 || value > 2_592_000) {
      throw badRequest(fileTexts.expiresAfter);
    }
    expiresAt = createdAt + value;
  }
  const file: StoredFile = {
    id: `file-api-${state.ids.hex(24)}`,
    bytes,
    createdAt,
    filename: upload.name || 'upload',
    purpose,
    expiresAt,
    mediaType,
  };
  files.set(file.id, file);
  exchange.json(200, JSON.stringify(objectOf(file)));
}

export function handleFileList(exchange: Exchange): void {
  const query = new URL(exchange.record.path, 'http://emulator').searchParams;
  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest(fileTexts.limit);
  const order = query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw badRequest(fileTexts.order);
  const purpose = query.get('purpose');
  // Insertion order is upload order; `created_at` ties (same second) keep it.
  let all = [...sweep(exchange).values()].filter((file) => purpose === null || file.purpose === purpose);
  if (order === 'desc') all = all.reverse();
  const after = query.get('after');
  if (after !== null) {
    const index = all.findIndex((file) => file.id === after);
    all = index === -1 ? [] : all.slice(index + 1);
  }
  const page = all.slice(0, limit);
  exchange.json(
    200,
    JSON.stringify({
      object: 'list',
      data: page.map(objectOf),
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
      has_more: all.length > page.length,
    }),
  );
}

export function handleFile(exchange: Exchange, id: string, method: 'GET' | 'DELETE'): void {
  const files = sweep(exchange);
  const file = files.get(id);
  if (!file) throw new EmulatorHttpError(404, fileTexts.notFound(id));
  if (method === 'GET') {
    exchange.json(200, JSON.stringify(objectOf(file)));
    return;
  }
  files.delete(id);
  exchange.json(200, JSON.stringify({ id, object: 'file', deleted: true }));
}
