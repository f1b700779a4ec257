import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startEmulator } from '@plumb/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeepSeek } from '../client/client.js';
import { FileLimitError, FileTooLargeError, MAX_FILE_BYTES } from './file-errors.js';

const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
  (char) => char.charCodeAt(0),
);

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'plumb-files-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));
let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function setup(options: Parameters<typeof startEmulator>[0] = {}) {
  const emulator = await startEmulator(options);
  close = () => emulator.close();
  return {
    emulator,
    client: new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 }),
  };
}

describe('client.files', () => {
  it('uploads from a path, a Blob, bytes, a Node stream and a web stream (multipart, expires_after)', async () => {
    const { emulator, client } = await setup({ now: () => 1_790_000_000_000 });
    const path = join(directory, 'dot.png');
    await writeFile(path, PNG);
    const fromPath = await client.files.create({
      file: path,
      purpose: 'user_data',
      expires_after: { anchor: 'created_at', seconds: 7200 },
    });
    expect(fromPath).toMatchObject({
      object: 'file',
      filename: 'dot.png',
      bytes: PNG.byteLength,
      expires_at: 1_790_007_200,
    });
    const fromBlob = await client.files.create({
      file: new Blob([PNG]),
      purpose: 'user_data',
      filename: 'blob.png',
    });
    expect(fromBlob.filename).toBe('blob.png');
    const fromBytes = await client.files.create({ file: PNG, purpose: 'user_data' });
    expect(fromBytes.filename).toBe('upload.png');
    const fromNodeStream = await client.files.create({ file: createReadStream(path), purpose: 'user_data' });
    expect(fromNodeStream.filename).toBe('dot.png');
    const web = Readable.toWeb(
      Readable.from([PNG.subarray(0, 10), PNG.subarray(10)]),
    ) as ReadableStream<Uint8Array>;
    expect((await client.files.create({ file: web, purpose: 'user_data' })).bytes).toBe(PNG.byteLength);
    const upload = emulator.requests[0]!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.rawBody).toContain('name="expires_after[seconds]"');
  });

  it('lists with paging (list + after, listAll), retrieves and deletes', async () => {
    const { client } = await setup();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++)
      ids.push((await client.files.create({ file: PNG, purpose: 'user_data' })).id);
    const page = await client.files.list({ limit: 2, order: 'asc' });
    expect(page.data.map((file) => file.id)).toEqual(ids.slice(0, 2));
    expect(page.has_more).toBe(true);
    const rest = await client.files.list({ limit: 2, order: 'asc', after: page.data[1]!.id });
    expect(rest.data.map((file) => file.id)).toEqual([ids[2]]);
    const all: string[] = [];
    for await (const file of client.files.listAll({ limit: 1, order: 'asc' })) all.push(file.id);
    expect(all).toEqual(ids);
    expect((await client.files.retrieve(ids[0]!)).id).toBe(ids[0]);
    expect(await client.files.delete(ids[0]!)).toMatchObject({ id: ids[0], deleted: true });
    await expect(client.files.retrieve(ids[0]!)).rejects.toMatchObject({ status: 404 });
    await expect(client.files.list({ limit: 0 })).rejects.toMatchObject({ field: 'limit' });
  });

  it('throws FileTooLargeError over 64 MiB before sending anything, and FileLimitError when the account is full', async () => {
    const { emulator, client } = await setup({ files: { maxFiles: 1 } });
    const huge = new Blob([new Uint8Array(MAX_FILE_BYTES + 1)]);
    const tooLarge = client.files.create({ file: huge, purpose: 'user_data' });
    await expect(tooLarge).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(tooLarge).rejects.toMatchObject({
      rule: 'file-too-large',
      field: 'file',
      bytes: MAX_FILE_BYTES + 1,
    });
    async function* endless() {
      const chunk = new Uint8Array(8 * 1024 * 1024);
      for (let index = 0; index < 100; index++) yield chunk;
    }
    await expect(client.files.create({ file: endless(), purpose: 'user_data' })).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    expect(emulator.requests).toHaveLength(0);
    await client.files.create({ file: PNG, purpose: 'user_data' });
    const full = client.files.create({ file: PNG, purpose: 'user_data' });
    await expect(full).rejects.toBeInstanceOf(FileLimitError);
    await expect(full).rejects.toMatchObject({ limit: 'count', status: 400 });
    await expect(client.files.create({ file: PNG, purpose: 'assistants' as never })).rejects.toMatchObject({
      field: 'purpose',
    });
    await expect(
      client.files.create({
        file: PNG,
        purpose: 'user_data',
        expires_after: { anchor: 'created_at', seconds: 60 },
      }),
    ).rejects.toMatchObject({ field: 'expires_after' });
  });
});
