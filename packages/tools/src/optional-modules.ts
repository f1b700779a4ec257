/**
 * jsonrepair (here) and zod-to-json-schema (schema/zod3-to-json-schema.ts), loaded on first use with `import()` of a literal name: bundlers
 * follow that into the bundle (they could not see the `createRequire` this replaced), and it needs
 * no `node:` module, so the package runs on Bun, Deno and Cloudflare Workers too. Each costs
 * start-up time that most runs never need (measured in packages/bench, cold start).
 */
type Repair = (text: string) => string;

let repair: Repair | undefined;
let repairLoad: Promise<Repair> | undefined;

/** Whether an import failed because the package is not installed (each runtime words it differently). */
export function isMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    (typeof message === 'string' &&
      /cannot find|not found|could not resolve|failed to (resolve|load)/i.test(message))
  );
}

/** jsonrepair, loaded the first time a model's JSON needs repair (it is rarely needed at all). */
export async function loadJsonRepair(): Promise<Repair> {
  if (repair !== undefined) return repair;
  repairLoad ??= import('jsonrepair').then((module) => {
    repair = module.jsonrepair;
    return module.jsonrepair;
  });
  return repairLoad;
}
