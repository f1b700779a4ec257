import { badRequest } from '../wire/errors.js';
import { isObject, type JsonObject } from '../wire/serde.js';

/** DeepSeek's text when a thinking-mode request with tools drops an earlier thinking block. */
const THINKING_REPLAY_TEXT = 'The `content[].thinking` in the thinking mode must be passed back to the API.';
const FILES_BETA = 'files-api-2025-04-14';

/**
 * The model an Anthropic-format name is served by (API reference §1.3): `claude-opus*` → Pro,
 * DeepSeek's own ids as they are, anything else (`claude-sonnet*`, `claude-haiku*`, unknown) → Flash.
 */
function mapAnthropicModel(model: string): string {
  if (model.startsWith('claude-opus')) return 'deepseek-v4-pro';
  if (model.startsWith('deepseek-')) return model;
  return 'deepseek-flash';
}

/**
 * An Anthropic Messages request (API reference §14) as the equivalent chat body. Ignored as
 * DeepSeek ignores them: `top_k`, `container`, `mcp_servers`, `service_tier`, `cache_control`,
 * `citations`, `is_error` (put error text in `content`), `budget_tokens`,
 * `disable_parallel_tool_use`. Refused: `redacted_thinking`, `document` and the other unsupported
 * blocks; a `file` image source without the `files-api-2025-04-14` beta header.
 */
export function anthropicToChat(body: JsonObject, betaHeader: string | undefined): Record<string, unknown> {
  if (typeof body.model !== 'string') throw badRequest('model: Field required');
  if (typeof body.max_tokens !== 'number') throw badRequest('max_tokens: Field required');
  if (!Array.isArray(body.messages)) throw badRequest('messages: Field required');
  const filesBeta = (betaHeader ?? '').split(',').some((value) => value.trim() === FILES_BETA);
  const thinkingType = isObject(body.thinking) ? body.thinking.type : undefined;
  const thinking = thinkingType !== 'disabled';
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  const messages: JsonObject[] = [];
  const system = body.system;
  if (typeof system === 'string' && system !== '') messages.push({ role: 'system', content: system });
  else if (Array.isArray(system)) {
    messages.push({
      role: 'system',
      content: system.map((block: JsonObject) => String(block?.text ?? '')).join('\n'),
    });
  }
  body.messages.forEach((message: unknown, index: number) => {
    if (!isObject(message)) throw badRequest(`messages.${index}: Input should be a valid dictionary`);
    const blocks: JsonObject[] =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : (message.content as JsonObject[]);
    if (!Array.isArray(blocks)) throw badRequest(`messages.${index}.content: Input should be a valid list`);
    if (message.role === 'assistant') messages.push(assistantMessage(blocks, index, thinking && hasTools));
    else if (message.role === 'user') messages.push(...userMessages(blocks, index, filesBeta));
    else throw badRequest(`messages.${index}.role: Input should be 'user' or 'assistant'`);
  });

  const chat: Record<string, unknown> = {
    model: mapAnthropicModel(body.model),
    messages,
    max_tokens: body.max_tokens,
    thinking: { type: thinking ? 'enabled' : 'disabled' },
  };
  const effort = isObject(body.output_config) ? body.output_config.effort : undefined;
  if (thinking && typeof effort === 'string') chat.reasoning_effort = effort;
  if (Array.isArray(body.stop_sequences)) chat.stop = body.stop_sequences;
  for (const key of ['temperature', 'top_p'] as const)
    if (typeof body[key] === 'number') chat[key] = body[key];
  const userId = isObject(body.metadata) ? body.metadata.user_id : undefined;
  if (userId != null) chat.user_id = userId;
  if (hasTools) {
    chat.tools = (body.tools as JsonObject[]).map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description == null ? {} : { description: tool.description }),
        parameters: tool.input_schema ?? { type: 'object', properties: {} },
      },
    }));
    const choice = isObject(body.tool_choice) ? body.tool_choice : undefined;
    if (choice?.type === 'none') chat.tool_choice = 'none';
    else if (choice?.type === 'any') chat.tool_choice = 'required';
    else if (choice?.type === 'tool')
      chat.tool_choice = { type: 'function', function: { name: choice.name } };
  }
  return chat;
}

function assistantMessage(blocks: JsonObject[], index: number, replayRequired: boolean): JsonObject {
  let reasoning: string | undefined;
  let content = '';
  const calls: JsonObject[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'thinking':
        reasoning = (reasoning ?? '') + String(block.thinking ?? '');
        break;
      case 'text':
        content += String(block.text ?? '');
        break;
      case 'server_tool_use':
      case 'web_search_tool_result':
        // DeepSeek's own web search ran server-side: there is no client tool result to answer it.
        break;
      case 'tool_use':
        calls.push({
          id: String(block.id),
          type: 'function',
          function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
      case 'image':
        throw badRequest('Image in assistant message is unsupported');
      default:
        throw unsupportedBlock(block, index);
    }
  }
  if (replayRequired && reasoning === undefined) throw badRequest(THINKING_REPLAY_TEXT);
  return {
    role: 'assistant',
    content,
    // The Anthropic rule (checked above) replaces the chat one, so every turn carries the key.
    reasoning_content: reasoning ?? '',
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
  };
}

/** A user turn: `tool_result` blocks become tool messages, the rest one user message. */
function userMessages(blocks: JsonObject[], index: number, filesBeta: boolean): JsonObject[] {
  const out: JsonObject[] = [];
  const parts: JsonObject[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const content = block.content;
      out.push({
        role: 'tool',
        tool_call_id: String(block.tool_use_id),
        content:
          typeof content === 'string'
            ? content
            : Array.isArray(content)
              ? (content as JsonObject[]).map((item) => partOf(item, index, filesBeta))
              : '',
      });
    } else if (block.type === 'web_search_tool_result') {
    } else parts.push(partOf(block, index, filesBeta));
  }
  if (parts.length > 0)
    out.push({
      role: 'user',
      content: parts.every((part) => part.type === 'text')
        ? parts.map((part) => part.text).join('\n')
        : parts,
    });
  return out;
}

function partOf(block: JsonObject, index: number, filesBeta: boolean): JsonObject {
  if (block.type === 'text') return { type: 'text', text: String(block.text ?? '') };
  if (block.type !== 'image') throw unsupportedBlock(block, index);
  const source = isObject(block.source) ? block.source : {};
  if (source.type === 'base64') {
    return {
      type: 'image_url',
      image_url: { url: `data:${String(source.media_type)};base64,${String(source.data)}` },
    };
  }
  if (source.type === 'url') return { type: 'image_url', image_url: { url: String(source.url) } };
  if (source.type === 'file') {
    if (!filesBeta) {
      throw badRequest(
        `messages.${index}: an image with source.type "file" needs the anthropic-beta header ${FILES_BETA}.`,
      );
    }
    return { type: 'file', file_id: String(source.file_id) };
  }
  throw badRequest(`messages.${index}: unsupported image source type ${JSON.stringify(source.type)}.`);
}

function unsupportedBlock(block: JsonObject, index: number) {
  return badRequest(
    `messages.${index}.content: content block type ${JSON.stringify(block.type)} is not supported.`,
  );
}
