import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, errorOf, PNG, send } from '../test-helpers.js';
import type { Emulator } from '../types.js';

let emulator: Emulator;
afterEach(() => emulator?.close());

async function upload(bytes: Uint8Array, fields: Record<string, string> = { purpose: 'user_data' }) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), 'dot.png');
  const response = await fetch(`${emulator.url}/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.apiKey}` },
    body: form,
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

describe('/files', () => {
  it('uploads, lists with paging, retrieves and deletes images', async () => {
    emulator = await startEmulator({ now: () => 1_790_000_000_000 });
    const first = await upload(PNG, {
      purpose: 'user_data',
      'expires_after[anchor]': 'created_at',
      'expires_after[seconds]': '3600',
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      object: 'file',
      bytes: PNG.byteLength,
      filename: 'dot.png',
      purpose: 'user_data',
      created_at: 1_790_000_000,
      expires_at: 1_790_003_600,
    });
    expect(first.json.id).toMatch(/^file-api-/);
    const second = await upload(PNG);
    const page = await send(emulator, '/files?limit=1&order=asc');
    expect(page.json.data.map((file: { id: string }) => file.id)).toEqual([first.json.id]);
    expect(page.json.has_more).toBe(true);
    const next = await send(emulator, `/files?limit=1&order=asc&after=${first.json.id}`);
    expect(next.json.data[0].id).toBe(second.json.id);
    expect(next.json.has_more).toBe(false);
    expect((await send(emulator, `/files/${first.json.id}`)).json.id).toBe(first.json.id);
    const deleted = await send(emulator, `/files/${first.json.id}`, undefined, { method: 'DELETE' });
    expect(deleted.json).toEqual({ id: first.json.id, object: 'file', deleted: true });
    expect((await send(emulator, `/files/${first.json.id}`)).status).toBe(404);
  });

  it('refuses non-images, wrong purposes, bad expiry, and files over the size and count limits', async () => {
    emulator = await startEmulator({ files: { maxFiles: 1, maxFileBytes: 100 } });
    expect((await upload(Buffer.from('not an image'))).json.error.message).toContain('only images');
    expect((await upload(PNG, { purpose: 'assistants' })).json.error.message).toContain(
      "Expected 'user_data'",
    );
    const badExpiry = await upload(PNG, {
      purpose: 'user_data',
      'expires_after[anchor]': 'created_at',
      'expires_after[seconds]': '60',
    });
    expect(badExpiry.json.error.message).toContain('3600 to 2592000');
    const big = await upload(Buffer.concat([PNG, Buffer.alloc(200)]));
    expect(big.status).toBe(400);
    expect(big.json.error.message).toContain('File too large');
    expect((await upload(PNG)).status).toBe(200);
    const full = await upload(PNG);
    expect(full.status).toBe(400);
    expect(full.json.error.message).toContain('File count limit reached');
  });
});

describe('/files body limit', () => {
  it('takes uploads above the 48 MiB request limit (a file may be 64 MiB), other bodies still get the 413', async () => {
    emulator = await startEmulator({ maxBodyBytes: 1024 });
    const big = await upload(Buffer.concat([PNG, Buffer.alloc(4096)]));
    expect(big.status).toBe(200);
    expect((await chat(emulator, { messages: [{ role: 'user', content: 'x'.repeat(2048) }] })).status).toBe(
      413,
    );
  });
});

describe('image parts in chat', () => {
  const image = (url: string, detail?: string) => ({
    type: 'image_url',
    image_url: { url, ...(detail ? { detail } : {}) },
  });
  const dataUrl = `data:image/png;base64,${PNG.toString('base64')}`;

  it('accepts images in user and tool messages on Flash, and counts them as prompt tokens', async () => {
    emulator = await startEmulator();
    const text = await chat(emulator, { messages: [{ role: 'user', content: 'What is this?' }] });
    const withImage = await chat(emulator, {
      messages: [{ role: 'user', content: [image(dataUrl, 'low'), { type: 'text', text: 'What is this?' }] }],
    });
    expect(withImage.status).toBe(200);
    const extra = withImage.json.usage.prompt_tokens - text.json.usage.prompt_tokens;
    expect(extra).toBeGreaterThan(300);
    expect(extra).toBeLessThanOrEqual(384 + 5);
    const tool = await chat(emulator, {
      thinking: { type: 'disabled' },
      tools: [{ type: 'function', function: { name: 'shot' } }],
      messages: [
        { role: 'user', content: 'Take a screenshot' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'shot', arguments: '{}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 'call_1',
          content: [{ type: 'text', text: 'screenshot:' }, image(dataUrl)],
        },
      ],
    });
    expect(tool.status).toBe(200);
  });

  it("answers DeepSeek's 400s: Pro is text-only, no images in system or assistant messages, bad data, unknown files", async () => {
    emulator = await startEmulator();
    const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });
    expect(
      errorOf(await chat(emulator, { model: 'deepseek-v4-pro', ...user([image(dataUrl)]) })).message,
    ).toBe('This model does not support image');
    const assistant = await chat(emulator, {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [image(dataUrl)] },
        { role: 'user', content: 'and?' },
      ],
    });
    expect(errorOf(assistant).message).toBe('Image in assistant message is unsupported');
    const system = await chat(emulator, {
      messages: [
        { role: 'system', content: [image(dataUrl)] },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(errorOf(system).message).toBe('Image in system message is unsupported');
    expect(
      errorOf(await chat(emulator, user([image(`https://example.com/${'a'.repeat(8200)}`)]))).message,
    ).toMatch(/^external link length \d+ too long, max link length 8192$/);
    expect(errorOf(await chat(emulator, user([image('data:image/png;base64,aGVsbG8=')]))).message).toContain(
      'Invalid image',
    );
    expect(
      errorOf(await chat(emulator, user([{ type: 'file', file_id: 'file-api-nope' }]))).message,
    ).toContain('File not found');
  });
});
