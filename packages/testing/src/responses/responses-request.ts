import { badRequest } from '../wire/errors.js';
import { isObject, type JsonObject } from '../wire/serde.js';

/**
 * A Responses API request as the equivalent chat body (API reference §15): `instructions` and
 * `system`/`developer` messages become system messages (`developer` is accepted here, unlike on
 * Chat Completions: the docs said system in August and user in October, the emulator takes it as
 * system), `input_text`/`input_image` parts become text/image parts, `function_call` items join
 * the assistant message they follow, `function_call_output` items become tool messages, and a
 * `reasoning` item gives the next assistant message its `reasoning_content`.
 * `reasoning.effort`, `max_output_tokens`, `text.format` and function tools map to their chat
 * names; unsupported parameters are ignored, as DeepSeek does. Function tools keep DeepSeek's name
 * rules (the chat validation checks them).
 */
export function toChatBody(body: JsonObject): Record<string, unknown> {
  if (typeof body.model !== 'string') throw badRequest("Missing required parameter: 'model'.");
  const messages: JsonObject[] = [];
  if (typeof body.instructions === 'string' && body.instructions !== '') {
    messages.push({ role: 'system', content: body.instructions });
  }
  const input = body.input;
  if (typeof input === 'string') messages.push({ role: 'user', content: input });
  else if (Array.isArray(input)) addItems(messages, input);
  else throw badRequest("Missing required parameter: 'input' (a string or a list of input items).");
  if (messages.length === 0)
    throw badRequest("Invalid 'input': empty array. Expected at least one input item.");

  const chat: Record<string, unknown> = { model: body.model, messages };
  const reasoning = isObject(body.reasoning) ? body.reasoning : undefined;
  if (typeof reasoning?.effort === 'string') chat.reasoning_effort = reasoning.effort;
  if (body.max_output_tokens != null) chat.max_tokens = body.max_output_tokens;
  for (const key of ['temperature', 'top_p', 'user_id'] as const)
    if (body[key] != null) chat[key] = body[key];
  const format = isObject(body.text) && isObject(body.text.format) ? body.text.format.type : undefined;
  // json_schema is answered as JSON mode: the model writes JSON, the schema is the client's to check.
  if (format === 'json_object' || format === 'json_schema') chat.response_format = { type: 'json_object' };
  const tools = Array.isArray(body.tools)
    ? body.tools.filter((tool) => isObject(tool) && tool.type === 'function')
    : [];
  if (tools.length > 0) {
    chat.tools = tools.map((tool: JsonObject) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description == null ? {} : { description: tool.description }),
        ...(tool.parameters == null ? {} : { parameters: tool.parameters }),
      },
    }));
    const choice = body.tool_choice;
    if (choice === 'none' || choice === 'auto' || choice === 'required') chat.tool_choice = choice;
    else if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string') {
      chat.tool_choice = { type: 'function', function: { name: choice.name } };
    }
  }
  return chat;
}

function addItems(messages: JsonObject[], items: unknown[]): void {
  let reasoning: string | undefined;
  let assistant: JsonObject | undefined;
  const openAssistant = (): JsonObject => {
    if (assistant) return assistant;
    assistant = { role: 'assistant', content: '', reasoning_content: reasoning ?? '' };
    reasoning = undefined;
    messages.push(assistant);
    return assistant;
  };
  items.forEach((raw, index) => {
    if (!isObject(raw)) throw badRequest(`Invalid 'input[${index}]': expected an object.`);
    const type = raw.type ?? (typeof raw.role === 'string' ? 'message' : undefined);
    switch (type) {
      case 'message': {
        const role = raw.role === 'developer' ? 'system' : raw.role;
        if (role === 'assistant') {
          const message = openAssistant();
          message.content = `${message.content as string}${textOf(raw.content)}`;
          return;
        }
        assistant = undefined;
        if (role !== 'user' && role !== 'system') {
          throw badRequest(
            `Invalid 'input[${index}].role': ${JSON.stringify(raw.role)}. Expected 'user', 'assistant', 'system' or 'developer'.`,
          );
        }
        messages.push({
          role,
          content: role === 'system' ? textOf(raw.content) : partsOf(raw.content, index),
        });
        return;
      }
      case 'reasoning': {
        const parts = [
          ...(Array.isArray(raw.content) ? raw.content : []),
          ...(Array.isArray(raw.summary) ? raw.summary : []),
        ];
        reasoning = parts.map((part: JsonObject) => String(part?.text ?? '')).join('');
        assistant = undefined;
        return;
      }
      case 'function_call': {
        const message = openAssistant();
        const calls = (message.tool_calls as JsonObject[] | undefined) ?? [];
        calls.push({
          id: String(raw.call_id ?? raw.id),
          type: 'function',
          function: { name: String(raw.name), arguments: String(raw.arguments ?? '') },
        });
        message.tool_calls = calls;
        return;
      }
      case 'function_call_output': {
        assistant = undefined;
        const output = raw.output;
        messages.push({
          role: 'tool',
          tool_call_id: String(raw.call_id),
          content: typeof output === 'string' ? output : partsOf(output, index),
        });
        return;
      }
      default:
        throw badRequest(
          `Invalid 'input[${index}].type': ${JSON.stringify(type)}. Supported: 'message', 'function_call', 'function_call_output', 'reasoning'.`,
        );
    }
  });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: JsonObject) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

function partsOf(content: unknown, index: number): unknown {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    throw badRequest(`Invalid 'input[${index}].content': expected a string or a list of parts.`);
  return content.map((part: JsonObject) => {
    if (part?.type === 'input_text' || part?.type === 'output_text' || part?.type === 'text') {
      return { type: 'text', text: String(part.text ?? '') };
    }
    if (part?.type === 'input_image') {
      if (typeof part.file_id === 'string') return { type: 'file', file_id: part.file_id };
      const url = String(part.image_url ?? '');
      return {
        type: 'image_url',
        image_url: { url, ...(part.detail == null ? {} : { detail: part.detail }) },
      };
    }
    throw badRequest(
      `Invalid 'input[${index}].content': unsupported part type ${JSON.stringify(part?.type)}.`,
    );
  });
}
