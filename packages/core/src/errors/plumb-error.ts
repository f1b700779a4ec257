/**
 * The root of every error a plumb package throws (core, tools, agent, packs, mcp, sessions,
 * durable, recorder). One catch-all test for all of them, that also holds when an application
 * ends up with two copies of a package (two versions in node_modules, a bundled and an external
 * copy): `instanceof` checks a global brand, not only the prototype chain.
 *
 * This file imports nothing, so that each copy of it is a complete, separate class.
 */

/** The brand every plumb error carries, shared by all copies (Symbol.for is realm-wide). */
const PLUMB_ERROR = Symbol.for('@plumb/error');

function isBranded(value: unknown): value is PlumbError {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUMB_ERROR] === true
  );
}

/** Whether some class in `value`'s prototype chain has the name `name` (another copy of the class). */
function chainHasClassNamed(value: object, name: string): boolean {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const owner: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
    if (typeof owner === 'function' && owner.name === name) return true;
  }
  return false;
}

/**
 * Base class of every plumb error. `name` is the class's own name (`new.target.name`), and a
 * wrapping error keeps what it wraps in `cause`.
 *
 * @example
 * try { await agent.run('...') } catch (error) {
 *   if (PlumbError.isPlumbError(error)) console.error(error.name, error.message);
 * }
 */
export class PlumbError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, PLUMB_ERROR, { value: true });
  }

  /** True for an error thrown by any plumb package, also one from another copy of that package. */
  static isPlumbError(value: unknown): value is PlumbError {
    return isBranded(value);
  }

  /**
   * `error instanceof PlumbError` (or any subclass, e.g. `instanceof ToolInputError`) is also true
   * for an error from another copy of the package: it carries the brand, and its class chain holds
   * a class of the same name. Errors of other libraries answer as usual.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof` (subclasses inherit this method), which is
    // the point: naming PlumbError here, as the lint rule suggests, would answer for the root only.
    // biome-ignore lint/complexity/noThisInStatic: the class asked about, see above
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (!isBranded(value)) return false;
    // biome-ignore lint/complexity/noThisInStatic: the class asked about, see above
    return this === PlumbError || chainHasClassNamed(value, this.name);
  }
}
