/**
 * zod-to-json-schema (schema/zod3-to-json-schema.ts) is loaded on first use with `import()` of a literal name: bundlers
 * follow that into the bundle (they could not see the `createRequire` this replaced), and it needs
 * no `node:` module, so the package runs on Bun, Deno and Cloudflare Workers too. Each costs
 * start-up time that most runs never need (measured in packages/bench, cold start). (JSON
 * argument repair no longer loads jsonrepair: see repair-json.ts.)
 */

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
