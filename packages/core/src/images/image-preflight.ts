/** Pre-flight rules for images (DeepSeek answers them with a 400 otherwise). */
import { PreflightError } from '../errors/errors.js';
import type { ChatMessage } from '../wire/wire-types.js';
import { isImagePart, MAX_IMAGE_TOKENS } from './images.js';

/**
 * Models that take no images: DeepSeek's docs say 400 "This model does not support image". (A
 * later probe saw Pro silently replace images with `[Unsupported Image]` instead; either way the
 * model never sees the image, so both are refused here.)
 */
const TEXT_ONLY_MODELS = new Set(['deepseek-v4-pro']);
const MAX_IMAGES = 600;

/** The image rules for `messages[index]`; returns how many images it holds. */
export function checkMessageImages(model: string, message: ChatMessage, index: number): number {
  const content = (message as { content?: unknown } | null | undefined)?.content;
  if (!Array.isArray(content)) return 0;
  let count = 0;
  content.forEach((part, partIndex) => {
    if (!isImagePart(part)) return;
    count++;
    const field = `messages[${index}].content[${partIndex}]`;
    if (message.role !== 'user' && message.role !== 'tool') {
      throw new PreflightError(
        'image-in-role',
        field,
        `Images are accepted only in user messages and tool results; this one is in a ${message.role} message. Move it to a user message.`,
      );
    }
    if (TEXT_ONLY_MODELS.has(model)) {
      throw new PreflightError(
        'image-on-text-model',
        field,
        `${model} is text-only and does not take images. Use deepseek-flash for image input (or describe the image in text).`,
      );
    }
  });
  return count;
}

/** At most 600 images in one request. */
export function checkImageCount(count: number): void {
  if (count > MAX_IMAGES) {
    throw new PreflightError(
      'too-many-images',
      'messages',
      `A request carries at most ${MAX_IMAGES} images; this one has ${count}.`,
    );
  }
}

/** Images in a list of messages (each costs at most 384 prompt tokens). */
function countImages(messages: readonly ChatMessage[]): number {
  let count = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    if (Array.isArray(content)) for (const part of content) if (isImagePart(part)) count++;
  }
  return count;
}

/**
 * A local upper-bound estimate of a request's prompt tokens: DeepSeek's rule of thumb for text
 * (0.3 token per English character, 0.6 per CJK character) plus 384 per image. The usage the API
 * returns is authoritative; this is for budgeting before sending.
 */
export function estimatePromptTokens(messages: readonly ChatMessage[]): {
  text: number;
  images: number;
  imageTokens: number;
  total: number;
} {
  let tenths = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    const texts: string[] = typeof content === 'string' ? [content] : [];
    if (Array.isArray(content)) {
      for (const part of content)
        if ((part as { type?: unknown }).type === 'text')
          texts.push(String((part as { text?: unknown }).text ?? ''));
    }
    for (const text of texts)
      for (const char of text) tenths += /[\u3400-\u9fff\uf900-\ufaff]/.test(char) ? 6 : 3;
  }
  const images = countImages(messages);
  const text = Math.ceil(tenths / 10);
  return { text, images, imageTokens: images * MAX_IMAGE_TOKENS, total: text + images * MAX_IMAGE_TOKENS };
}
