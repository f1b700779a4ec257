import { createHash } from 'node:crypto';

/**
 * The emulator's stand-in for DeepSeek's chat template: a deterministic, prefix-preserving text
 * rendering of the request (tools first, then each message in order), used for prompt token
 * counts and the prompt-cache model. Appending messages only appends text, so an agent loop that
 * resends its history sees growing cache hits. Prior `reasoning_content` counts only when the
 * request has tools in thinking mode (DeepSeek concatenates it into the context then).
 */

/** An image costs at most 384 tokens; its placeholder is 1280 characters (0.3 token each). */
const IMAGE_PLACEHOLDER_LENGTH = 1280;

export interface RenderMode {
  hasTools: boolean;
  thinking: boolean;
}

type Json = Record<string, unknown>;

function renderTools(tools: unknown): string {
  if (!Array.isArray(tools) || tools.length === 0) return '';
  let out = '<|tools|>';
  for (const tool of tools) out += `${JSON.stringify((tool as Json).function ?? tool)}\n`;
  return out;
}

export function renderMessage(message: Json, mode: RenderMode): string {
  let out = `<|${String(message.role)}|>`;
  if (message.role === 'assistant') {
    const reasoning = message.reasoning_content;
    if (mode.hasTools && mode.thinking && typeof reasoning === 'string' && reasoning !== '') {
      out += `<think>${reasoning}</think>`;
    }
    out += renderContent(message.content);
    if (Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls as Json[]) {
        const fn = (call.function ?? {}) as Json;
        out += `<|call|>${String(fn.name)}${String(fn.arguments ?? '')}`;
      }
    }
  } else out += renderContent(message.content);
  return `${out}\n`;
}

/** Tools + every message, concatenated. */
export function renderChatPrompt(body: Json, mode: RenderMode): string {
  let out = renderTools(body.tools);
  for (const message of body.messages as Json[]) out += renderMessage(message, mode);
  return out;
}

/** FIM prompt: prefix, hole, suffix. */
export function renderFimPrompt(prompt: string, suffix: string | undefined): string {
  return `<|fim_begin|>${prompt}<|fim_hole|>${suffix ?? ''}<|fim_end|>`;
}

function renderContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content as Json[]) {
    if (part.type === 'text') out += String(part.text ?? '');
    else out += imagePlaceholder(JSON.stringify(part));
  }
  return out;
}

function imagePlaceholder(source: string): string {
  const digest = createHash('sha1').update(source).digest('hex').slice(0, 16);
  return `<|image:${digest}|>`.padEnd(IMAGE_PLACEHOLDER_LENGTH, '.');
}
