import type { Exchange } from '../http/exchange.js';
import { findFile } from '../routes/files-routes.js';
import { badRequest } from '../wire/errors.js';
import { dataUrlBytes, imageTexts, sniffImage } from '../wire/images.js';
import type { JsonObject } from '../wire/serde.js';
import type { ChatPlan } from './validate-chat.js';

const MAX_IMAGES = 600;
const MAX_LINK = 8192;
const DETAILS = new Set(['low', 'high', 'original', 'auto']);

/**
 * Image rules (API reference §2.1, gotcha 12): images only in `user` and `tool` messages (the
 * deserializer already refused them in `system`/`assistant`), only on a vision model (Pro is
 * text-only: `This model does not support image`), at most 600 per request, links at most 8192
 * characters, data URLs must hold a JPEG/PNG/GIF/WebP, file parts must name an uploaded file.
 * http(s) images are not downloaded (the emulator has no network).
 */
export function validateImages(exchange: Exchange, plan: ChatPlan): void {
  let count = 0;
  for (const message of plan.messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as JsonObject[]) {
      if (part.type !== 'image_url' && part.type !== 'file') continue;
      count++;
      if (!plan.model.vision) throw badRequest(imageTexts.notSupported);
      if (part.type === 'image_url') checkImageUrl(part.image_url);
      else checkFilePart(exchange, part);
    }
  }
  if (count > MAX_IMAGES) throw badRequest(imageTexts.tooMany(count));
}

function checkImageUrl(image: unknown): void {
  const { url, detail } =
    typeof image === 'string' ? { url: image, detail: undefined } : (image as JsonObject);
  if (detail != null && !DETAILS.has(String(detail))) throw badRequest(imageTexts.badDetail(String(detail)));
  const link = String(url);
  if (/^https?:\/\//i.test(link)) {
    if (link.length > MAX_LINK) throw badRequest(imageTexts.linkTooLong(link.length));
    return;
  }
  if (!link.startsWith('data:')) throw badRequest(imageTexts.badUrl(link));
  const bytes = dataUrlBytes(link);
  if (!bytes || !sniffImage(bytes)) throw badRequest(imageTexts.badData);
}

/**
 * DeepSeek documents `{ type: 'file', file_id }` / `{ type: 'file', file_data }`; OpenAI's clients
 * nest the same fields under `file` (`{ type: 'file', file: { file_id } }`). Which form the server
 * takes is unconfirmed, so both are accepted.
 */
function checkFilePart(exchange: Exchange, part: JsonObject): void {
  const fields = (part.file !== null && typeof part.file === 'object' ? part.file : part) as JsonObject;
  if (typeof fields.file_id === 'string') {
    if (!findFile(exchange, fields.file_id)) throw badRequest(imageTexts.fileNotFound(fields.file_id));
    return;
  }
  const data = String(fields.file_data ?? '');
  const bytes = data.startsWith('data:') ? dataUrlBytes(data) : Buffer.from(data, 'base64');
  if (!bytes || !sniffImage(bytes)) throw badRequest(imageTexts.badData);
}
