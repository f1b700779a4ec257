import { RunStateError } from '../errors.js';

/** A secret for signing states: at least 32 bytes (a string of 32+ characters, or bytes). */
export type StateSecret = string | Uint8Array;

/** The envelope `toSignedJSON()` writes around the state's JSON text. */
interface SignedEnvelope {
  format: typeof FORMAT;
  /** The state's JSON text, exactly as signed. */
  payload: string;
  /** HMAC-SHA-256 of the domain tag and `payload`, base64url. */
  hmac: string;
}

const FORMAT = 'plumb.run-state.signed';
/** Binds the MAC to this use: a MAC made with the same secret for something else never verifies here. */
const DOMAIN = 'plumb.run-state.v2\n';
const MIN_SECRET_BYTES = 32;

function subtle(): SubtleCrypto {
  const found = globalThis.crypto?.subtle;
  if (found === undefined) {
    throw new RunStateError(
      'Signing a RunState needs Web Crypto (globalThis.crypto.subtle), which this runtime does not provide.',
    );
  }
  return found;
}

async function importKey(secret: StateSecret): Promise<CryptoKey> {
  let bytes: Uint8Array;
  if (typeof secret === 'string') bytes = new TextEncoder().encode(secret);
  else if (secret instanceof Uint8Array) bytes = secret;
  else {
    throw new RunStateError(
      '`secret` must be a string or a Uint8Array (the value is not shown). Load it from your secret store.',
    );
  }
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new RunStateError(
      `\`secret\` must be at least ${MIN_SECRET_BYTES} bytes (it has ${bytes.byteLength}; the value is not shown). ` +
        'Generate one with crypto.getRandomValues(new Uint8Array(32)) and keep it in your secret store.',
    );
  }
  return subtle().importKey('raw', bytes as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Wraps a state's JSON text in a signed envelope (HMAC-SHA-256 with `secret`). */
export async function signState(payload: string, secret: StateSecret): Promise<string> {
  const key = await importKey(secret);
  const mac = await subtle().sign('HMAC', key, new TextEncoder().encode(DOMAIN + payload));
  const envelope: SignedEnvelope = { format: FORMAT, payload, hmac: base64url(new Uint8Array(mac)) };
  return JSON.stringify(envelope);
}

/** True for text or data that looks like a signed envelope. */
export function isSignedEnvelope(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { format?: unknown }).format === FORMAT;
}

/**
 * Checks a signed envelope and returns the state's JSON text. The MAC is checked with
 * `crypto.subtle.verify` (constant time) before anything in the payload is read.
 * @throws RunStateError when the text is not a signed state or the MAC does not match.
 */
export async function verifyState(text: string, secret: StateSecret): Promise<string> {
  const key = await importKey(secret);
  let envelope: Partial<SignedEnvelope>;
  try {
    envelope = JSON.parse(text) as Partial<SignedEnvelope>;
  } catch (error) {
    throw new RunStateError(
      `RunState.fromSignedJSON: the text is not valid JSON (${(error as Error).message}).`,
    );
  }
  if (
    !isSignedEnvelope(envelope) ||
    typeof envelope.payload !== 'string' ||
    typeof envelope.hmac !== 'string'
  ) {
    throw new RunStateError(
      'RunState.fromSignedJSON: the text is not a signed state (expected { format, payload, hmac } from state.toSignedJSON()).',
    );
  }
  const mac = fromBase64url(envelope.hmac);
  const valid =
    mac !== undefined &&
    (await subtle().verify(
      'HMAC',
      key,
      mac as BufferSource,
      new TextEncoder().encode(DOMAIN + envelope.payload),
    ));
  if (!valid) {
    throw new RunStateError(
      'RunState.fromSignedJSON: the signature does not match: the state was changed after it was signed, or signed with another secret. Nothing in it was used.',
    );
  }
  return envelope.payload;
}
