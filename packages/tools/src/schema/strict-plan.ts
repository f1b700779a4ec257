import type { RawIssue } from './adapter.js';

/**
 * What strict mode changed about a schema, mirrored so the model's arguments can be mapped back
 * before zod sees them: optional fields were sent as nullable (`null` -> field removed), and
 * unknown keys are errors. Built once per tool; applied once per call.
 */
export type Plan =
  | {
      readonly kind: 'object';
      /** Every declared key. */
      readonly known: ReadonlySet<string>;
      /** Keys that are optional in the zod schema and were made nullable for DeepSeek. */
      readonly nullToUndefined: ReadonlySet<string>;
      /** Plans for the values of keys that have nested objects. */
      readonly properties: ReadonlyMap<string, Plan>;
    }
  | { readonly kind: 'array'; readonly items: Plan }
  | { readonly kind: 'union'; readonly options: readonly Plan[] }
  | { readonly kind: 'ref'; readonly name: string };

export interface StrictPlan {
  readonly root: Plan;
  /** Plans of the `$def` entries; `#` (the root) is resolved to `root`. */
  readonly definitions: ReadonlyMap<string, Plan>;
}

type ObjectPlan = Extract<Plan, { kind: 'object' }>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolve(plan: Plan, strict: StrictPlan): Plan | undefined {
  let current: Plan | undefined = plan;
  // A definition that is itself only a reference: follow it (bounded, in case of a ref cycle).
  for (let hops = 0; current !== undefined && current.kind === 'ref' && hops < 32; hops++) {
    current = current.name === '#' ? strict.root : strict.definitions.get(current.name);
  }
  return current?.kind === 'ref' ? undefined : current;
}

function collect(plan: Plan, strict: StrictPlan, objects: ObjectPlan[], arrays: Plan[]): void {
  const resolved = resolve(plan, strict);
  if (resolved === undefined) return;
  if (resolved.kind === 'object') objects.push(resolved);
  else if (resolved.kind === 'array') arrays.push(resolved.items);
  else if (resolved.kind === 'union')
    for (const option of resolved.options) collect(option, strict, objects, arrays);
}

/**
 * Maps strict-mode `null`s back to missing fields and reports unknown keys, in place on a freshly
 * parsed value. For a union of objects, the first option that declares every key sent is used.
 */
export function applyStrictPlan(value: unknown, strict: StrictPlan, issues: RawIssue[]): void {
  visit(value, strict.root, strict, [], issues);
}

function visit(
  value: unknown,
  plan: Plan,
  strict: StrictPlan,
  path: PropertyKey[],
  issues: RawIssue[],
): void {
  const resolved = resolve(plan, strict);
  if (resolved === undefined) return;
  if (resolved.kind === 'object') {
    if (isPlainObject(value)) visitObject(value, resolved, strict, path, issues);
    return;
  }
  if (resolved.kind === 'array') {
    if (Array.isArray(value)) visitItems(value, resolved.items, strict, path, issues);
    return;
  }
  const objects: ObjectPlan[] = [];
  const arrays: Plan[] = [];
  collect(resolved, strict, objects, arrays);
  if (isPlainObject(value) && objects.length > 0) {
    const keys = Object.keys(value);
    const match = objects.find((option) => keys.every((key) => option.known.has(key)));
    if (match !== undefined) visitObject(value, match, strict, path, issues);
    else reportUnknown(keys, objects, path, issues);
  } else if (Array.isArray(value) && arrays.length > 0) {
    const items: Plan = arrays.length === 1 ? arrays[0]! : { kind: 'union', options: arrays };
    visitItems(value, items, strict, path, issues);
  }
}

function visitItems(
  value: unknown[],
  items: Plan,
  strict: StrictPlan,
  path: PropertyKey[],
  issues: RawIssue[],
) {
  for (let index = 0; index < value.length; index++) {
    visit(value[index], items, strict, [...path, index], issues);
  }
}

function visitObject(
  value: Record<string, unknown>,
  plan: ObjectPlan,
  strict: StrictPlan,
  path: PropertyKey[],
  issues: RawIssue[],
): void {
  for (const key of Object.keys(value)) {
    if (!plan.known.has(key)) {
      issues.push(unknownKeyIssue(key, path));
      continue;
    }
    const field = value[key];
    if (field === null && plan.nullToUndefined.has(key)) {
      delete value[key];
      continue;
    }
    const nested = plan.properties.get(key);
    if (nested !== undefined) visit(field, nested, strict, [...path, key], issues);
  }
}

function reportUnknown(keys: string[], options: ObjectPlan[], path: PropertyKey[], issues: RawIssue[]): void {
  for (const key of keys) {
    if (!options.some((option) => option.known.has(key))) issues.push(unknownKeyIssue(key, path));
  }
}

function unknownKeyIssue(key: string, path: PropertyKey[]): RawIssue {
  return {
    path: [...path, key],
    message: `Unrecognized key "${key}": this tool does not accept it; remove it`,
    code: 'unrecognized_keys',
  };
}

/**
 * Drops the validator's `unrecognized_keys` issues (from `z.strictObject()` / `.strict()`) whose
 * keys the strict plan already reported, so the model reads each unknown key once.
 */
export function withoutReportedKeys(
  validatorIssues: readonly RawIssue[],
  planIssues: readonly RawIssue[],
): readonly RawIssue[] {
  if (planIssues.length === 0) return validatorIssues;
  const reported = new Set(planIssues.map((issue) => issue.path.map(String).join('\u0000')));
  return validatorIssues.filter((issue) => {
    if (issue.code !== 'unrecognized_keys' || !Array.isArray(issue.keys) || issue.keys.length === 0)
      return true;
    const prefix = issue.path.map(String);
    return !issue.keys.every((key) => reported.has([...prefix, String(key)].join('\u0000')));
  });
}
