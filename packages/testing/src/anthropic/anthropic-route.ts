import { runTurn } from '../chat/run-turn.js';
import type { Exchange } from '../http/exchange.js';
import { mergeFaults } from '../http/faults.js';
import { isTerminalFault, sendBody, sendEvents, sendFault } from '../http/send-reply.js';
import type { Fault } from '../types.js';
import { badRequest } from '../wire/errors.js';
import { isObject, type JsonObject } from '../wire/serde.js';
import { splitArguments, splitText } from '../wire/split.js';
import { anthropicToChat } from './anthropic-request.js';

const STOP_REASONS: Record<string, string> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
};

/**
 * `POST /anthropic/v1/messages` (also `/anthropic/messages`; API reference §14): the Anthropic
 * Messages format over the same model. Thinking is on by default and answered as `thinking`
 * blocks (with a `signature`: whether DeepSeek sends one is unconfirmed, so clients should accept
 * it missing too); tools as `tool_use` blocks; errors in Anthropic's
 * `{"type":"error","error":{...}}` envelope.
 */
export async function handleAnthropicMessages(
  exchange: Exchange,
  globalFault: Fault | undefined,
): Promise<void> {
  const body = exchange.record.body;
  if (!isObject(body)) throw badRequest('Input should be a valid dictionary');
  const beta = exchange.request.headers['anthropic-beta'];
  const chatBody = anthropicToChat(body, Array.isArray(beta) ? beta.join(',') : beta);
  const result = await runTurn(exchange, chatBody);
  const fault = mergeFaults(globalFault, result.turn?.fault);
  const stream = body.stream === true;
  if (isTerminalFault(fault)) return sendFault(exchange, fault, stream);
  const { state } = exchange;
  const { answer, plan } = result;
  const content: JsonObject[] = [];
  if (plan.thinking && answer.reasoning !== undefined) {
    content.push({ type: 'thinking', thinking: answer.reasoning, signature: state.ids.hex(64) });
  }
  if (answer.content !== '' || answer.toolCalls.length === 0)
    content.push({ type: 'text', text: answer.content });
  for (const call of answer.toolCalls) {
    let input: unknown;
    try {
      input = JSON.parse(call.arguments);
    } catch {
      input = {};
    }
    content.push({ type: 'tool_use', id: call.id, name: call.name, input });
  }
  const usage = {
    input_tokens: result.promptTokens - result.cacheHitTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: result.cacheHitTokens,
    output_tokens: result.completionTokens,
    ...result.turn?.usage,
  };
  const message = {
    id: `msg_${state.ids.hex(24)}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: STOP_REASONS[answer.finishReason] ?? 'end_turn',
    stop_sequence: null,
    usage,
  };
  if (!stream) return sendBody(exchange, JSON.stringify(message), fault);
  return sendEvents(exchange, messageEvents(message, answer.deltaSize), fault, {}, false);
}

function* messageEvents(message: JsonObject, deltaSize: number | undefined): Generator<string> {
  const event = (type: string, fields: JsonObject) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
  const usage = message.usage as JsonObject;
  yield event('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  for (const [index, block] of (message.content as JsonObject[]).entries()) {
    if (block.type === 'thinking') {
      yield event('content_block_start', {
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      for (const piece of splitText(block.thinking as string, deltaSize)) {
        yield event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
      }
      yield event('content_block_delta', {
        index,
        delta: { type: 'signature_delta', signature: block.signature },
      });
    } else if (block.type === 'text') {
      yield event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of splitText(block.text as string, deltaSize)) {
        yield event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      }
    } else {
      yield event('content_block_start', { index, content_block: { ...block, input: {} } });
      for (const piece of splitArguments(JSON.stringify(block.input))) {
        yield event('content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    yield event('content_block_stop', { index });
  }
  yield event('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
    usage: { output_tokens: usage.output_tokens },
  });
  yield event('message_stop', {});
}
