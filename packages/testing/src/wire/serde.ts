import { EmulatorHttpError } from './errors.js';
import { locateValueEnd } from './json-scan.js';

/**
 * serde-style type checking of a parsed request body, producing DeepSeek's 400 texts:
 * `Failed to deserialize the JSON body into the target type: messages[1].role: unknown variant
 * `developer`, expected one of … at line 1 column 51`.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** serde's description of an unexpected value (`integer `3``, `string "x"`, `sequence`, …). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (typeof value === 'number')
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return 'sequence';
  return 'map';
}

/** serde's list of expected variants: `` `a` `` / `` `a` or `b` `` / `` one of `a`, `b`, `c` ``. */
function expectedVariants(variants: readonly string[]): string {
  const quoted = variants.map((variant) => `\`${variant}\``);
  if (quoted.length === 1) return quoted[0]!;
  if (quoted.length === 2) return `${quoted[0]} or ${quoted[1]}`;
  return `one of ${quoted.join(', ')}`;
}

/** Raises deserialize errors located in the raw body. */
export class Deserializer {
  private readonly raw: string;

  constructor(raw: string) {
    this.raw = raw;
  }

  /** Throws the 400 for `detail` at `path`, located at the end of the value at `locate`. */
  fail(path: string, detail: string, locate = path): never {
    const { line, column } = locateValueEnd(this.raw, locate);
    const where = path === '' ? '' : `${path}: `;
    throw new EmulatorHttpError(
      400,
      `Failed to deserialize the JSON body into the target type: ${where}${detail} at line ${line} column ${column}`,
    );
  }

  invalidType(path: string, value: unknown, expected: string, locate = path): never {
    return this.fail(path, `invalid type: ${describeValue(value)}, expected ${expected}`, locate);
  }

  string(value: unknown, path: string, optional = false, locate = path): void {
    if (typeof value === 'string' || (optional && value === null)) return;
    this.invalidType(path, value, 'a string', locate);
  }

  boolean(value: unknown, path: string, locate = path): void {
    if (typeof value === 'boolean' || value === null) return;
    this.invalidType(path, value, 'a boolean', locate);
  }

  number(value: unknown, path: string): void {
    if (typeof value === 'number' || value === null) return;
    this.invalidType(path, value, 'f32');
  }

  unsigned(value: unknown, path: string): void {
    if (value === null) return;
    if (typeof value === 'number' && Number.isInteger(value)) {
      if (value < 0 || value > 0xffffffff)
        this.fail(path, `invalid value: ${describeValue(value)}, expected u32`);
      return;
    }
    this.invalidType(path, value, 'u32');
  }

  /** A unit-variant enum given as a string. */
  variant(value: unknown, path: string, variants: readonly string[], enumName: string, locate = path): void {
    if (typeof value !== 'string') this.invalidType(path, value, `enum ${enumName}`, locate);
    if (!variants.includes(value)) {
      this.fail(path, `unknown variant \`${value}\`, expected ${expectedVariants(variants)}`, locate);
    }
  }

  object(value: unknown, path: string, structName: string, locate = path): asserts value is JsonObject {
    if (!isObject(value)) this.invalidType(path, value, `struct ${structName}`, locate);
  }

  required(object: JsonObject, field: string, path: string, locate = path): void {
    if (!(field in object)) this.fail(path, `missing field \`${field}\``, locate);
  }
}
