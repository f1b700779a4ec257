import type { Cost, Usage } from '@plumb/core';

/**
 * What a tool made by `agent.asTool()` returns: the sub-run's answer plus its usage and cost.
 * The parent loop recognizes it, sends only `value` to the model and adds the usage and cost
 * to its own totals. Serialized elsewhere (another runner), it shows as `value` (`toJSON`).
 */
export class SubRunOutput {
  readonly value: unknown;
  readonly usage: Usage;
  readonly cost: Cost | undefined;

  constructor(value: unknown, usage: Usage, cost: Cost | undefined) {
    this.value = value;
    this.usage = usage;
    this.cost = cost;
  }

  /** The text the model receives: a string as is, anything else as JSON. */
  content(): string {
    return typeof this.value === 'string' ? this.value : JSON.stringify(this.value ?? null);
  }

  toJSON(): unknown {
    return this.value;
  }
}
