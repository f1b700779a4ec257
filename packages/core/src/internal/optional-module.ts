/**
 * Loading an optional peer dependency on first use. Callers pass a function that does
 * `import('<literal name>')`: a literal specifier is what bundlers (esbuild, webpack, Vite) follow
 * into the bundle, where `createRequire` hid it from them; it also needs no `node:` module, so the
 * package runs on Bun, Deno and Cloudflare Workers. A missing package becomes a ConfigError that
 * names it and the feature that needs it.
 */
import { ConfigError } from '../errors/errors.js';

/** What is missing and what needs it, for the error message. */
export interface OptionalModule {
  /** The npm package name, e.g. `pino`. */
  name: string;
  /** The setting or feature that needs it, e.g. `PLUMB_LOG`. */
  field: string;
  /** What the package is for, e.g. `logging (PLUMB_LOG or logLevel)`. */
  feature: string;
}

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  // Bun, Deno and bundlers word it differently; they all name the package.
  return typeof message === 'string' &&
    /cannot find|not found|could not resolve|failed to resolve|failed to load/i.test(message)
    ? message.includes(name)
    : false;
}

/** The error for a missing optional peer: names the package, the feature and the install command. */
function missingModuleError(module: OptionalModule, cause?: unknown): ConfigError {
  const error = new ConfigError(
    module.field,
    `${module.feature} needs the package \`${module.name}\`, an optional peer dependency of plumb that is not installed. ` +
      `Install it next to plumb: npm install ${module.name} (or pnpm add / yarn add / bun add ${module.name}).`,
  );
  if (cause !== undefined)
    Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  return error;
}

/** Runs `load` once; a missing package rejects with `missingModuleError`, other failures as they are. */
export function lazyModule<T>(module: OptionalModule, load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined; // installing the package later in a long-lived process still works
      throw isMissing(error, module.name) ? missingModuleError(module, error) : error;
    });
    return pending;
  };
}
