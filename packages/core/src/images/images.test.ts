import { startEmulator } from '@plumb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DeepSeek } from '../client/client.js';
import { PreflightError } from '../errors/errors.js';
import { estimatePromptTokens } from './image-preflight.js';
import { imageFromBytes, imageFromFile, imageFromFileId, imageFromUrl, MAX_IMAGE_TOKENS } from './images.js';

const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='),
  (char) => char.charCodeAt(0),
);

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

describe('image helpers', () => {
  it('build image parts from a link, bytes (type read from the bytes) and an uploaded file id, with detail', () => {
    expect(imageFromUrl('https://example.com/a.png', { detail: 'low' })).toEqual({
      type: 'image_url',
      image_url: { url: 'https://example.com/a.png', detail: 'low' },
    });
    const part = imageFromBytes(PNG, { detail: 'high' });
    expect(part.image_url.url.startsWith('data:image/png;base64,iVBOR')).toBe(true);
    expect(part.image_url.detail).toBe('high');
    expect(imageFromFileId('file-api-1')).toEqual({ type: 'file', file_id: 'file-api-1' });
    expect(() => imageFromBytes(new TextEncoder().encode('text'))).toThrow(/not a JPEG, PNG, GIF or WebP/);
    expect(() => imageFromUrl('ftp://x')).toThrow(/http\(s\)/);
    expect(() => imageFromUrl(`https://x/${'a'.repeat(8200)}`)).toThrow(/8192/);
    expect(() => imageFromUrl('https://x/a.png', { detail: 'huge' as never })).toThrow(/detail/);
  });

  it('reads an image from a file path', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const directory = await mkdtemp(join(tmpdir(), 'plumb-image-'));
    try {
      await writeFile(join(directory, 'dot.png'), PNG);
      const part = await imageFromFile(join(directory, 'dot.png'), { detail: 'auto' });
      expect(part).toEqual(imageFromBytes(PNG, { detail: 'auto' }));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('counts at most 384 tokens per image in estimates', () => {
    const estimate = estimatePromptTokens([
      {
        role: 'user',
        content: [imageFromBytes(PNG), imageFromFileId('file-api-1'), { type: 'text', text: 'abcdefghij' }],
      },
    ]);
    expect(estimate).toEqual({ text: 3, images: 2, imageTokens: 2 * MAX_IMAGE_TOKENS, total: 3 + 768 });
  });
});

describe('image pre-flight and the emulator', () => {
  async function client() {
    const emulator = await startEmulator({ script: [{ content: 'A red dot.' }] });
    close = () => emulator.close();
    return {
      emulator,
      client: new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 }),
    };
  }

  it('sends images in user messages to Flash; refuses Pro and other roles before sending', async () => {
    const { emulator, client: deepseek } = await client();
    const content = [
      imageFromBytes(PNG, { detail: 'low' }),
      { type: 'text' as const, text: 'What is this?' },
    ];
    const reply = await deepseek.chat.completions.create({
      model: 'deepseek-flash',
      messages: [{ role: 'user', content }],
    });
    expect(reply.choices[0]?.message.content).toBe('A red dot.');
    expect(reply.usage?.prompt_tokens).toBeGreaterThan(300);
    const onPro = deepseek.chat.completions.create({
      model: 'deepseek-v4-pro',
      messages: [{ role: 'user', content }],
    });
    await expect(onPro).rejects.toBeInstanceOf(PreflightError);
    await expect(onPro).rejects.toMatchObject({
      rule: 'image-on-text-model',
      field: 'messages[0].content[0]',
    });
    const inAssistant = deepseek.chat.completions.create({
      model: 'deepseek-flash',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: content as never },
        { role: 'user', content: 'and?' },
      ],
    });
    await expect(inAssistant).rejects.toMatchObject({
      rule: 'image-in-role',
      field: 'messages[1].content[0]',
    });
    expect(emulator.requests).toHaveLength(1);
    // With pre-flight off, the emulator answers DeepSeek's own 400.
    const unchecked = deepseek.chat.completions.create(
      { model: 'deepseek-v4-pro', messages: [{ role: 'user', content }] },
      { preflight: false },
    );
    await expect(unchecked).rejects.toMatchObject({
      status: 400,
      serverMessage: 'This model does not support image',
    });
  });
});
