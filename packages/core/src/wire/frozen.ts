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
 * Freezes `value` and everything in it, like `deepFreeze`, and records it as deeply frozen when
 * the same walk finds it is plain data (object literals and arrays, no functions): for a message
 * plumb just built (the agent's assistant and tool messages), which the history seal, the body
 * serializer and pre-flight each ask `isDeepFrozen` about. One walk instead of two, and only the
 * message itself goes into the WeakSet (an entry there costs more than the walk it saves).
 * Only for objects built right there: their properties are plain data properties (no getters).
 */
export function freezeOwnData<T extends object>(value: T): T {
  if (freezeTree(value, 0)) known.add(value);
  return value;
}

/** Freezes a fresh tree; true when it is plain data all through (then it qualifies as deeply frozen). */
function freezeTree(value: object, depth: number): boolean {
  if (depth > MAX_DEPTH) return false; // deeper than a message (or a cycle): left as it is
  const proto = Object.getPrototypeOf(value);
  let plain = Array.isArray(value) ? proto === Array.prototype : proto === Object.prototype || proto === null;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i]!];
    if (item === null || typeof item !== 'object') {
      if (typeof item === 'function') plain = false;
    } else if (Object.isFrozen(item)) {
      // Frozen by someone else: not known to be data unless isDeepFrozen says so.
      if (!isDeepFrozen(item)) plain = false;
    } else if (!freezeTree(item, depth + 1)) {
      plain = false;
    }
  }
  Object.freeze(value);
  return plain;
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
