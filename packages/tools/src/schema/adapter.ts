import type { JsonSchema } from '@plumb/core';

/** One validation problem, in the shape both zod 3 and zod 4 report. */
export interface RawIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string | undefined;
  /** The keys of an `unrecognized_keys` issue (zod 3 and zod 4 both report them). */
  readonly keys?: readonly unknown[] | undefined;
}

export type ValidationResult =
  | { readonly success: true; readonly data: unknown }
  | { readonly success: false; readonly issues: readonly RawIssue[] };

/** What the rest of the package needs from a schema library, so zod 3 and zod 4 never mix. */
export interface SchemaAdapter {
  readonly vendor: 'zod4' | 'zod3' | 'json-schema';
  /**
   * The converter's raw output (may include `$schema`, `definitions` and `$ref`s). Throws an
   * {@link UnrepresentableTypeError} for a type JSON cannot carry (dates, bigints, functions...).
   */
  toJsonSchema(): JsonSchema;
  /** Validates (and transforms) a parsed value. Synchronous unless the schema has async checks. */
  validate(data: unknown): ValidationResult | Promise<ValidationResult>;
}

/** A schema type with no JSON equivalent, found while converting; `path` is the JSON Schema path. */
export class UnrepresentableTypeError extends Error {
  override readonly name = 'UnrepresentableTypeError';
  readonly path: readonly (string | number)[];

  constructor(message: string, path: readonly (string | number)[]) {
    super(message);
    this.path = path;
  }
}

interface SafeParseLike {
  success: boolean;
  data?: unknown;
  error?: { issues: readonly RawIssue[] } | undefined;
}

/** Maps a zod 3 or zod 4 safe-parse result onto {@link ValidationResult}. */
export function fromSafeParse(result: SafeParseLike): ValidationResult {
  if (result.success) return { success: true, data: result.data };
  return { success: false, issues: result.error?.issues ?? [{ path: [], message: 'Invalid input' }] };
}

/** A validator that threw (a refinement or transform with a bug) still yields a readable issue. */
export function thrownIssue(error: unknown): ValidationResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    success: false,
    issues: [{ path: [], message: `the validator threw: ${message}`, code: 'custom' }],
  };
}
