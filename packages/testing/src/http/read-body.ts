import type { IncomingMessage } from 'node:http';

/** The request body as bytes (multipart uploads need them), or `undefined` when over `limit`. */
export async function readBodyBytes(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(request.headers['content-length'] ?? 0) > limit;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    if (tooLarge) continue;
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
    } else chunks.push(chunk);
  }
  if (tooLarge) return undefined;
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
