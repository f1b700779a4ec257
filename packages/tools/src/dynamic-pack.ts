import { ToolDefinitionError } from './errors.js';
import { checkName } from './names.js';
import { isTool } from './tool.js';
import { markToolPack, type ToolPack } from './tool-pack.js';

/**
 * A pack whose tools can change while it is in use (an MCP server that sends
 * `tools/list_changed`). `revision` changes whenever `tools` does: an agent compares it at each
 * step boundary and re-reads `tools` then, never in the middle of a step.
 */
export interface DynamicToolPack extends ToolPack {
  /** Changes (any number, compared with `!==`) whenever `tools` changes. */
  readonly revision: number;
  /**
   * Optional: resolves once a change the pack already heard of is applied (an MCP server's
   * `list_changed` whose new list is still being fetched). An agent awaits it at each step
   * boundary, so a change announced before a tool result takes effect at the next step.
   */
  settled?(): Promise<void>;
}

const dynamic = new WeakSet<object>();

/** True for a pack registered with {@link dynamicToolPack}. */
export function isDynamicToolPack(value: unknown): value is DynamicToolPack {
  return typeof value === 'object' && value !== null && dynamic.has(value);
}

/**
 * Registers an object (typically a class instance with `tools` and `revision` getters) as a tool
 * pack whose tools can change, so it can go into an agent's `tools` next to ordinary packs. The
 * object must have `kind: 'tool-pack'`, a valid `name`, a `description`, a `tools` array of tools
 * built with `tool()`, and a numeric `revision`. Returns the same object.
 * @throws ToolDefinitionError naming the field that is wrong.
 */
export function dynamicToolPack<T extends DynamicToolPack>(pack: T): T {
  if (typeof pack !== 'object' || pack === null || pack.kind !== 'tool-pack') {
    throw new ToolDefinitionError("dynamicToolPack() needs an object with kind: 'tool-pack'.");
  }
  const name = checkName(pack.name, 'Tool pack');
  if (typeof pack.description !== 'string') {
    throw new ToolDefinitionError(`Tool pack "${name}": description must be a string.`, { toolName: name });
  }
  if (typeof pack.revision !== 'number') {
    throw new ToolDefinitionError(
      `Tool pack "${name}": revision must be a number that changes whenever tools change.`,
      { toolName: name },
    );
  }
  const tools: readonly unknown[] = pack.tools;
  if (!Array.isArray(tools) || !tools.every((item) => isTool(item))) {
    throw new ToolDefinitionError(`Tool pack "${name}": tools must be an array of tools built with tool().`, {
      toolName: name,
    });
  }
  markToolPack(pack);
  dynamic.add(pack);
  return pack;
}
