/**
 * Deeply frozen JSON data: what plumb may serialize and check once and reuse, because it cannot
 * change. A value qualifies when it is a primitive, or a frozen plain object or array whose own
 * properties are data properties holding qualifying values (no getters, no functions, no class
 * instances whose `toJSON` could answer differently next time).
 */

/** Objects already found deeply frozen (a frozen object stays frozen, so the answer never changes). */
const known = new WeakSet<object>();

export function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  if (known.has(value)) return true;
  if (!frozenData(value, 0)) return false;
  known.add(value); // only the outer object: nested ones are not asked about again
  return true;
}

/**
 * Freezes a plain object that plumb just built and whose values are all strings (or such objects
 * and arrays, frozen with `freezeStrings` before), and records it as deeply frozen without the
 * walk `isDeepFrozen` would make: the agent builds every assistant and tool message of a run this
 * way, and each is looked at by the history seal, the body serializer and pre-flight. Anything
 * else (a value that is not a string, an object plumb did not build) gets the full walk.
 */
export function freezeStrings<T extends object>(value: T): T {
  Object.freeze(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i]!];
    if (typeof item !== 'string' && !(item !== null && typeof item === 'object' && known.has(item))) {
      return value; // not all strings or recorded objects: left to isDeepFrozen's own walk
    }
  }
  if (Object.getPrototypeOf(value) === (Array.isArray(value) ? Array.prototype : Object.prototype)) {
    known.add(value);
  }
  return value;
}

/** Deeper than any chat message; also ends a cycle (JSON.stringify then reports it). */
const MAX_DEPTH = 64;

function frozenData(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  if (depth > MAX_DEPTH || !Object.isFrozen(value)) return false;
  const proto = Object.getPrototypeOf(value);
  // What JSON.stringify reads: array indexes, an object's own enumerable string keys. A getter
  // could answer differently each time, so only data properties qualify.
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) {
      const descriptor = Object.getOwnPropertyDescriptor(value, i);
      if (descriptor !== undefined && !isData(descriptor)) return false;
      if (!frozenData(value[i], depth + 1)) return false;
    }
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(value, keys[i]!)!;
    if (!isData(descriptor) || !frozenData(descriptor.value, depth + 1)) return false;
  }
  return true;
}

function isData(descriptor: PropertyDescriptor): boolean {
  return descriptor.get === undefined && descriptor.set === undefined;
}

/**
 * Freezes `value` and everything in it (plain objects and arrays), so it qualifies for
 * `isDeepFrozen`. For data plumb built itself or copied: freezing someone else's objects would
 * make their later writes throw.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
