import type { Cost, Usage } from '@plumb/core';
import { ToolResultContent } from '@plumb/tools';

/** The text the model receives for a sub-run's answer: a string as is, anything else as JSON. */
function answerText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/**
 * What a tool made by `agent.asTool()` returns: the sub-run's answer plus its usage and cost.
 * It is a `ToolResultContent` whose one text part is the answer, so every runner (the agent's
 * loop, an MCP server, another framework) sends the answer's text, not a JSON string of it; the
 * parent loop also adds the usage and cost to its own totals. Serialized (`toJSON`), it is `value`.
 */
export class SubRunOutput extends ToolResultContent {
  readonly usage: Usage;
  readonly cost: Cost | undefined;

  constructor(value: unknown, usage: Usage, cost: Cost | undefined) {
    super([{ type: 'text', text: answerText(value) }], value);
    this.usage = usage;
    this.cost = cost;
  }

  /** The text the model receives: a string as is, anything else as JSON. */
  content(): string {
    return this.text();
  }
}
