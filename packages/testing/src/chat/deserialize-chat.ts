import { badRequest } from '../wire/errors.js';
import { imageTexts } from '../wire/images.js';
import { Deserializer, isObject, type JsonObject } from '../wire/serde.js';

/**
 * The type-level checks DeepSeek's deserializer makes on a chat request, in document order (the
 * first problem in the body is the one reported), with its texts. Unknown fields are ignored.
 */

const ROLES = ['system', 'user', 'assistant', 'tool', 'latest_reminder'];
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra'];
const PART_TYPES = ['text', 'image_url', 'file'];

export function deserializeChat(body: unknown, raw: string): asserts body is JsonObject {
  const d: Deserializer = new Deserializer(raw);
  d.object(body, '', 'ChatCompletionRequest');
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'model':
        d.string(value, key);
        break;
      case 'messages':
        checkMessages(d, value);
        break;
      case 'thinking':
        if (value === null) break;
        d.object(value, key, 'Thinking');
        d.required(value, 'type', key);
        d.variant(value.type, `${key}.type`, ['enabled', 'disabled'], 'ThinkingType');
        break;
      case 'reasoning_effort':
        if (value !== null) d.variant(value, key, EFFORTS, 'ReasoningEffort');
        break;
      case 'max_tokens':
      case 'top_logprobs':
        d.unsigned(value, key);
        break;
      case 'stream':
      case 'logprobs':
        d.boolean(value, key);
        break;
      case 'stream_options':
        if (value === null) break;
        d.object(value, key, 'StreamOptions');
        if ('include_usage' in value) d.boolean(value.include_usage, `${key}.include_usage`);
        break;
      case 'response_format':
        if (value === null) break;
        d.object(value, key, 'ResponseFormat');
        d.required(value, 'type', key);
        d.variant(value.type, `${key}.type`, ['text', 'json_object', 'json_schema'], 'ResponseFormatType');
        break;
      case 'stop':
        if (value === null || typeof value === 'string') break;
        if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
          d.fail(key, 'data did not match any variant of untagged enum Stop');
        }
        break;
      case 'temperature':
      case 'top_p':
      case 'frequency_penalty':
      case 'presence_penalty':
        d.number(value, key);
        break;
      case 'tools':
        checkTools(d, value);
        break;
      case 'tool_choice':
        checkToolChoice(d, value);
        break;
      case 'user_id':
        d.string(value, key, true);
        break;
    }
  }
  d.required(body, 'messages', '');
  d.required(body, 'model', '');
}

function checkMessages(d: Deserializer, value: unknown): void {
  if (!Array.isArray(value)) d.invalidType('messages', value, 'a sequence');
  value.forEach((message, index) => {
    const path = `messages[${index}]`;
    if (!isObject(message)) d.invalidType(path, message, 'internally tagged enum Message');
    d.required(message, 'role', path);
    d.variant(message.role, `${path}.role`, ROLES, 'Role');
    checkMessageFields(d, message, path);
  });
}

function checkMessageFields(d: Deserializer, message: JsonObject, path: string): void {
  const role = message.role;
  if ((role === 'system' || role === 'assistant') && Array.isArray(message.content)) {
    if (
      message.content.some((part) => isObject(part) && (part.type === 'image_url' || part.type === 'file'))
    ) {
      throw badRequest(imageTexts.inRole(role));
    }
  }
  if (role === 'assistant') {
    if ('content' in message && message.content !== null) d.string(message.content, path);
    if ('reasoning_content' in message) d.string(message.reasoning_content, path, true);
    if ('prefix' in message) d.boolean(message.prefix, path);
    if ('tool_calls' in message && message.tool_calls !== null) checkToolCalls(d, message.tool_calls, path);
  } else {
    d.required(message, 'content', path);
    // Every model deserializes image parts; a text-only model then refuses them (validate-images).
    if (role === 'user' || role === 'tool') checkContent(d, message.content, path);
    else d.string(message.content, path);
    if (role === 'tool') {
      d.required(message, 'tool_call_id', path);
      d.string(message.tool_call_id, path);
    }
  }
  if ('name' in message) d.string(message.name, path, true);
}

function checkContent(d: Deserializer, content: unknown, path: string): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) d.fail(path, 'data did not match any variant of untagged enum MessageContent');
  for (const part of content) {
    if (!isObject(part)) d.invalidType(path, part, 'internally tagged enum ContentPart');
    d.required(part, 'type', path);
    d.variant(part.type, path, PART_TYPES, 'ContentPartType');
    if (part.type === 'text') {
      d.required(part, 'text', path);
      d.string(part.text, path);
    } else if (part.type === 'image_url') {
      d.required(part, 'image_url', path);
      const image = part.image_url;
      if (typeof image !== 'string') {
        d.object(image, path, 'ImageUrl');
        d.required(image, 'url', path);
        d.string(image.url, path);
      }
    }
  }
}

function checkToolCalls(d: Deserializer, calls: unknown, path: string): void {
  if (!Array.isArray(calls)) d.invalidType(path, calls, 'a sequence');
  for (const call of calls) {
    d.object(call, path, 'ToolCall');
    d.required(call, 'id', path);
    d.string(call.id, path);
    if ('type' in call) d.variant(call.type, path, ['function'], 'ToolType');
    d.required(call, 'function', path);
    d.object(call.function, path, 'FunctionCall');
    d.required(call.function, 'name', path);
    d.string(call.function.name, path);
    d.required(call.function, 'arguments', path);
    d.string(call.function.arguments, path);
  }
}

function checkTools(d: Deserializer, tools: unknown): void {
  if (tools === null) return;
  if (!Array.isArray(tools)) d.invalidType('tools', tools, 'a sequence');
  tools.forEach((tool, index) => {
    const path = `tools[${index}]`;
    d.object(tool, path, 'Tool');
    d.required(tool, 'type', path);
    d.variant(tool.type, `${path}.type`, ['function'], 'ToolType');
    d.required(tool, 'function', path);
    const fn = tool.function;
    d.object(fn, `${path}.function`, 'FunctionDefinition');
    d.required(fn, 'name', `${path}.function`);
    d.string(fn.name, `${path}.function.name`);
    if ('description' in fn) d.string(fn.description, `${path}.function.description`, true);
    if ('parameters' in fn && fn.parameters !== null && !isObject(fn.parameters)) {
      d.invalidType(`${path}.function.parameters`, fn.parameters, 'a map');
    }
    if ('strict' in fn) d.boolean(fn.strict, `${path}.function.strict`);
  });
}

function checkToolChoice(d: Deserializer, choice: unknown): void {
  if (choice === null || choice === 'none' || choice === 'auto' || choice === 'required') return;
  const isNamedTool =
    isObject(choice) &&
    choice.type === 'function' &&
    isObject(choice.function) &&
    typeof choice.function.name === 'string';
  if (!isNamedTool) d.fail('tool_choice', 'expected one of `none`, `auto`, `required` or a tool');
}
