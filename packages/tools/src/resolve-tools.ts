import type { ChatCompletionTool } from '@plumb/core';
import { firstDuplicate, MAX_TOOLS, mixedStrict } from '@plumb/core/internal';
import { ToolDefinitionError } from './errors.js';
import { isTool } from './tool.js';
import { isToolPack, type ToolPack } from './tool-pack.js';
import type { AnyTool } from './types.js';

/** DeepSeek accepts at most 128 tools per request: core's pre-flight limit, defined once there. */
export { MAX_TOOLS };

/** The flat, checked list of tools an agent sends, with a lookup by name. */
export interface ToolSet {
  /** Every tool, packs flattened in place, in the order given. */
  readonly tools: readonly AnyTool[];
  /**
   * The request's `tools` array: the same frozen objects in the same order on every call, so the
   * serialized prefix (and DeepSeek's KV cache) stays stable.
   */
  readonly definitions: readonly ChatCompletionTool[];
  /** True when the set is non-empty and every tool is strict (the request then goes to `/beta`). */
  readonly strict: boolean;
  readonly names: readonly string[];
  /** The tool the model called, or `undefined` for a name that is not in the set. */
  get(name: string): AnyTool | undefined;
}

function origin(tool: AnyTool): string {
  return tool.pack === undefined ? `tool "${tool.name}"` : `tool "${tool.name}" of pack "${tool.pack}"`;
}

/**
 * Flattens tools and packs (as given to an agent) into one {@link ToolSet}, keeping their order,
 * and checks what DeepSeek would otherwise reject: duplicate names, more than 128 tools, and
 * strict and non-strict tools mixed (strict mode is all-or-nothing per request).
 * @throws ToolDefinitionError naming the tools involved.
 */
export function resolveTools(items: ReadonlyArray<AnyTool | ToolPack>): ToolSet {
  if (!Array.isArray(items)) {
    throw new ToolDefinitionError('tools must be an array of tools (tool()) and tool packs (toolPack()).');
  }
  const tools: AnyTool[] = [];
  items.forEach((item: unknown, index) => {
    if (isToolPack(item)) tools.push(...item.tools);
    else if (isTool(item)) tools.push(item);
    else {
      throw new ToolDefinitionError(
        `tools[${index}] is neither a tool nor a tool pack. Build tools with tool() and packs with toolPack() from @plumb/tools.`,
      );
    }
  });
  if (tools.length > MAX_TOOLS) {
    throw new ToolDefinitionError(
      `${tools.length} tools were given; DeepSeek accepts at most ${MAX_TOOLS} per request. Give the agent fewer tools.`,
    );
  }
  const names = tools.map((tool) => tool.name);
  const twice = firstDuplicate(names);
  if (twice >= 0) {
    const tool = tools[twice] as AnyTool;
    const existing = tools[names.indexOf(tool.name)] as AnyTool;
    throw new ToolDefinitionError(
      `Two tools are named "${tool.name}" (${origin(existing)} and ${origin(tool)}); DeepSeek needs unique names. Rename one, or give a pack a prefix (toolPack({ prefix: true })).`,
      { toolName: tool.name },
    );
  }
  const byName = new Map<string, AnyTool>();
  for (const tool of tools) byName.set(tool.name, tool);
  const mixed = mixedStrict(tools.map((tool) => tool.strict));
  if (mixed !== undefined) {
    const strict = tools[mixed.strictIndex] as AnyTool;
    const loose = tools[mixed.looseIndex] as AnyTool;
    throw new ToolDefinitionError(
      `Strict and non-strict tools are mixed (${origin(strict)} is strict, ${origin(loose)} is not); DeepSeek strict mode requires every tool of a request to be strict. Set strict on all of them or on none.`,
      { toolName: loose.name },
    );
  }
  return Object.freeze({
    tools: Object.freeze(tools),
    definitions: Object.freeze(tools.map((tool) => tool.definition)),
    strict: tools.length > 0 && (tools[0] as AnyTool).strict === true,
    names: Object.freeze(names),
    get: (name: string) => byName.get(name),
  });
}
