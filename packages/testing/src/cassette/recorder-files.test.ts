import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { PNG } from '../test-helpers.js';
import type { Emulator } from '../types.js';
import { type Recorder, startRecorder } from './recorder.js';

let upstream: Emulator | undefined;
let recorder: Recorder | undefined;
let directory: string | undefined;
afterEach(async () => {
  await Promise.all([upstream?.close(), recorder?.close()]);
  if (directory) await rm(directory, { recursive: true, force: true });
  upstream = recorder = directory = undefined;
});

describe('the recorder and the Files API', () => {
  it('forwards a multipart upload byte for byte (binary image data is not re-encoded as text)', async () => {
    directory = await mkdtemp(join(tmpdir(), 'plumb-recorder-files-'));
    upstream = await startEmulator({ apiKey: 'sk-upstream-1234' });
    recorder = await startRecorder({
      target: upstream.url,
      apiKey: 'sk-upstream-1234',
      cassette: join(directory, 'files.json'),
    });
    const form = new FormData();
    form.append('purpose', 'user_data');
    form.append('file', new Blob([new Uint8Array(PNG)]), 'dot.png');
    const response = await fetch(`${recorder.url}/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-anything' },
      body: form,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: 'file',
      bytes: PNG.byteLength,
      filename: 'dot.png',
    });
  });
});
