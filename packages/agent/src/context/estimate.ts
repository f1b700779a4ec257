import { type ChatMessage, isImagePart, MAX_IMAGE_TOKENS } from '@plumb/core';

/**
 * Token estimates without a tokenizer. DeepSeek publishes no JavaScript tokenizer for V4 (its
 * offline tokenizer is a Python demo; the npm V3 port ships a multi-megabyte vocabulary and
 * would still miss the chat template and tool-schema tokens the server counts). So plumb counts
 * with DeepSeek's documented rule of thumb, 0.3 token per character and 0.6 per CJK character,
 * and calibrates it against the server: after each response the ratio of the real
 * `usage.prompt_tokens` to the rule's count of what was sent scales every later estimate.
 */

/** DeepSeek's rule of thumb in tenths of a token, for one text. */
function ruleTenths(text: string): number {
  let tenths = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    tenths += code >= 0x2e80 && (code < 0xd800 || code > 0xdfff) ? 6 : 3;
  }
  return tenths;
}

/** Whole tokens by the rule (0 for ''). */
export function ruleTokens(text: string): number {
  return Math.ceil(ruleTenths(text) / 10);
}

/**
 * The rule's count of one message as sent, except that an image part counts as what DeepSeek
 * bills for it, at most 384 tokens, not as the characters of its (base64) URL.
 */
function messageRuleTenths(message: ChatMessage): number {
  const content = (message as { content?: unknown }).content;
  if (!Array.isArray(content) || !content.some(isImagePart)) return ruleTenths(JSON.stringify(message));
  const text = content.filter((part) => !isImagePart(part));
  const images = content.length - text.length;
  return ruleTenths(JSON.stringify({ ...message, content: text })) + images * MAX_IMAGE_TOKENS * 10;
}

/**
 * Estimates the prompt tokens of a request from its messages (and the fixed tool definitions),
 * calibrated by the last response. Per-message counts are cached by object, so a step costs the
 * size of what was added, not of the whole history.
 */
export class TokenEstimator {
  readonly #perMessage = new WeakMap<object, number>();
  readonly #fixedTenths: number;
  /** Real tokens per rule token, from the last calibration. 1 until a response arrived. */
  ratio = 1;

  /** `fixedText`: what every request carries besides messages (the tools JSON). */
  constructor(fixedText: string) {
    this.#fixedTenths = ruleTenths(fixedText);
  }

  /** The rule's count (tenths) of one message as sent. */
  messageTenths(message: ChatMessage): number {
    let tenths = this.#perMessage.get(message);
    if (tenths === undefined) {
      tenths = messageRuleTenths(message);
      this.#perMessage.set(message, tenths);
    }
    return tenths;
  }

  /** The rule's count (tenths) of a request with these messages. */
  requestTenths(messages: readonly ChatMessage[]): number {
    let tenths = this.#fixedTenths;
    for (const message of messages) tenths += this.messageTenths(message);
    return tenths;
  }

  /** Calibrated tokens of one message. */
  messageTokens(message: ChatMessage): number {
    return Math.ceil((this.messageTenths(message) * this.ratio) / 10);
  }

  /** Calibrated prompt tokens of a request with these messages. */
  requestTokens(messages: readonly ChatMessage[]): number {
    return Math.ceil((this.requestTenths(messages) * this.ratio) / 10);
  }

  /** Calibrated tokens of `messages[from, to)`. */
  rangeTokens(messages: readonly ChatMessage[], from: number, to = messages.length): number {
    let tenths = 0;
    for (let i = from; i < to; i++) tenths += this.messageTenths(messages[i] as ChatMessage);
    return Math.ceil((tenths * this.ratio) / 10);
  }

  /** Learns from a response: `promptTokens` real tokens for a request the rule counted `sentTenths`. */
  calibrate(promptTokens: number, sentTenths: number): void {
    if (promptTokens > 0 && sentTenths > 0) this.ratio = promptTokens / (sentTenths / 10);
  }
}
