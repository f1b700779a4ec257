import type { UserContentPart } from '@plumb/core';
import { capToolContent } from './cap-content.js';

const MARKER = Symbol.for('@plumb/tools.content');

/**
 * A tool result made of content parts (text and images) instead of one string. DeepSeek accepts an
 * array of parts in a tool message for models that read images (`deepseek-flash`); an agent sends
 * `parts` as the tool message and keeps `value` as the call's `result`. Anywhere a string is
 * needed (logs, events, other runners) the result reads as `text()`: text parts joined, images as
 * `[image]` placeholders.
 */
export class ToolResultContent {
  /** The tool message content, in order. */
  readonly parts: readonly UserContentPart[];
  /** What the call's record keeps as `result` (e.g. MCP `structuredContent`); defaults to `text()`. */
  readonly value: unknown;

  constructor(parts: readonly UserContentPart[], value?: unknown) {
    this.parts = Object.freeze([...parts]);
    this.value = value === undefined ? this.text() : value;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for a `ToolResultContent`, even one created by another copy of the package. */
  static isInstance(value: unknown): value is ToolResultContent {
    return typeof value === 'object' && value !== null && (value as { [MARKER]?: unknown })[MARKER] === true;
  }

  /** The parts as text: text parts joined by newlines, images and files as placeholders. */
  text(): string {
    return this.parts
      .map((part) => {
        if (part.type === 'text') return part.text;
        if (part.type === 'image_url') return '[image]';
        return '[file]';
      })
      .join('\n');
  }

  /** The parts with every text part cut to `maxChars` characters (visibly, as `capToolContent` does). */
  capped(maxChars: number): UserContentPart[] {
    return this.parts.map((part) =>
      part.type === 'text' ? { type: 'text', text: capToolContent(part.text, maxChars) } : part,
    );
  }

  /** Only images make a part list worth sending; otherwise the text is the tool message. */
  get hasImages(): boolean {
    return this.parts.some((part) => part.type !== 'text');
  }

  toJSON(): unknown {
    return this.value;
  }
}
