/** Images as DeepSeek takes them: JPEG, PNG, GIF or WebP, recognised from their bytes. */

export function sniffImage(bytes: Uint8Array): string | undefined {
  const at = (index: number) => bytes[index];
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'image/png';
  if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x38) return 'image/gif';
  const riff = at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46;
  if (riff && at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50) return 'image/webp';
  return undefined;
}

/** Texts for image problems. The first three are DeepSeek's (API reference §9.3); the rest are invented. */
export const imageTexts = {
  notSupported: 'This model does not support image',
  inRole: (role: string) => `Image in ${role} message is unsupported`,
  linkTooLong: (length: number) => `external link length ${length} too long, max link length 8192`,
  tooMany: (count: number) => `Too many images: ${count}. A request can carry at most 600 images.`,
  badData: 'Invalid image: the data URL is not a base64 JPEG, PNG, GIF or WebP image.',
  badUrl: (url: string) =>
    `Invalid image url: ${url.slice(0, 64)}. Expected an http(s) URL or a data:image/...;base64 URL.`,
  fileNotFound: (id: string) => `File not found: ${id}. Upload it with POST /files first.`,
  badDetail: (detail: string) =>
    `Invalid 'detail': ${JSON.stringify(detail)}. Expected one of 'low', 'high', 'original', 'auto'.`,
};

/** Bytes of a `data:image/...;base64,...` URL, or undefined when it is not one. */
export function dataUrlBytes(url: string): Buffer | undefined {
  const match = /^data:(image\/[a-z+.-]+)?;base64,([A-Za-z0-9+/=\s]*)$/i.exec(url);
  if (!match) return undefined;
  return Buffer.from(match[2]!, 'base64');
}
