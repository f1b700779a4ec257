import { randomBytes } from 'node:crypto';

/** Source of the random-looking identifiers the emulator hands out. */
export interface IdSource {
  /** A version-4 UUID, like DeepSeek's completion ids. */
  uuid(): string;
  /** `length` lower-case hex digits (trace ids). */
  hex(length: number): string;
  /** `length` characters from [A-Za-z0-9] (tool-call id suffixes). */
  alphanumeric(length: number): string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/**
 * Random ids from `node:crypto`, or a reproducible sequence when `seed` is given (so snapshot
 * tests can pin ids).
 */
export function createIdSource(seed?: number): IdSource {
  const nextByte = seed === undefined ? cryptoBytes() : seededBytes(seed);
  const pick = (alphabet: string, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[nextByte() % alphabet.length];
    return out;
  };
  return {
    uuid() {
      const bytes: number[] = [];
      for (let i = 0; i < 16; i++) bytes.push(nextByte());
      bytes[6] = (bytes[6]! & 0x0f) | 0x40;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
    hex: (length) => pick(HEX, length),
    alphanumeric: (length) => pick(ALPHANUMERIC, length),
  };
}

/** DeepSeek's tool-call id shape: `call_NN_` + 24 alphanumerics, NN = position in the turn. */
export function toolCallId(ids: IdSource, position: number): string {
  return `call_${String(position).padStart(2, '0')}_${ids.alphanumeric(24)}`;
}

function cryptoBytes(): () => number {
  let pool = randomBytes(256);
  let offset = 0;
  return () => {
    if (offset >= pool.length) {
      pool = randomBytes(256);
      offset = 0;
    }
    return pool[offset++]!;
  };
}

/** mulberry32: tiny, fast and good enough for ids. */
function seededBytes(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
}
