import { runTurn, type TurnResult } from '../chat/run-turn.js';
import type { Exchange } from '../http/exchange.js';
import { mergeFaults } from '../http/faults.js';
import { isTerminalFault, sendBody, sendEvents, sendFault } from '../http/send-reply.js';
import type { Fault } from '../types.js';
import { badRequest } from '../wire/errors.js';
import { isObject, type JsonObject } from '../wire/serde.js';
import { splitArguments, splitText } from '../wire/split.js';
import { toChatBody } from './responses-request.js';

/**
 * `POST /responses` (API reference §15): stateless (`store` is always false, nothing can be
 * retrieved later), answered as a `response` object or as semantic SSE events, each with
 * `sequence_number`, ending with `response.completed` / `response.incomplete` and never `[DONE]`.
 */
export async function handleResponses(exchange: Exchange, globalFault: Fault | undefined): Promise<void> {
  const body = exchange.record.body;
  if (!isObject(body))
    throw badRequest('Failed to deserialize the JSON body into the target type: expected a JSON object');
  const chatBody = toChatBody(body);
  const result = await runTurn(exchange, chatBody);
  const fault = mergeFaults(globalFault, result.turn?.fault);
  const stream = body.stream === true;
  if (isTerminalFault(fault)) return sendFault(exchange, fault, stream);
  const response = buildResponse(exchange, body, result);
  if (!stream) return sendBody(exchange, JSON.stringify(response.final), fault);
  return sendEvents(exchange, responseEvents(response), fault, {}, false);
}

interface BuiltResponse {
  /** The response object while in progress (no output yet). */
  start: JsonObject;
  final: JsonObject;
  items: JsonObject[];
  deltaSize: number | undefined;
}

function buildResponse(exchange: Exchange, body: JsonObject, result: TurnResult): BuiltResponse {
  const { state } = exchange;
  const { answer, plan } = result;
  const id = `resp_${state.ids.hex(32)}`;
  const items: JsonObject[] = [];
  if (plan.thinking && answer.reasoning !== undefined) {
    items.push({
      id: `rs_${state.ids.hex(32)}`,
      type: 'reasoning',
      summary: [],
      content: [{ type: 'reasoning_text', text: answer.reasoning }],
    });
  }
  if (answer.content !== '' || answer.toolCalls.length === 0) {
    items.push({
      id: `msg_${state.ids.hex(32)}`,
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: answer.content, annotations: [], logprobs: [] }],
    });
  }
  for (const call of answer.toolCalls) {
    items.push({
      id: `fc_${state.ids.hex(32)}`,
      type: 'function_call',
      status: 'completed',
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
    });
  }
  const incomplete = answer.finishReason === 'length' || answer.finishReason === 'content_filter';
  const common = {
    id,
    object: 'response',
    created_at: Math.floor(state.now() / 1000),
    error: null,
    instructions: typeof body.instructions === 'string' ? body.instructions : null,
    max_output_tokens: plan.maxTokens ?? null,
    model: plan.modelId,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: plan.thinking ? plan.effort : 'none', summary: null },
    store: false,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    text: isObject(body.text) ? body.text : { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: typeof body.top_p === 'number' ? body.top_p : 1,
    truncation: 'disabled',
    metadata: {},
  };
  const start = { ...common, status: 'in_progress', incomplete_details: null, output: [], usage: null };
  const usage = {
    input_tokens: result.promptTokens,
    input_tokens_details: { cached_tokens: result.cacheHitTokens },
    output_tokens: result.completionTokens,
    output_tokens_details: { reasoning_tokens: result.reasoningTokens },
    total_tokens: result.promptTokens + result.completionTokens,
    ...result.turn?.usage,
  };
  const final = {
    ...common,
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete
      ? { reason: answer.finishReason === 'length' ? 'max_output_tokens' : 'content_filter' }
      : null,
    output: items,
    usage,
  };
  return { start, final, items, deltaSize: answer.deltaSize };
}

/** The semantic event sequence of a streamed response. */
function* responseEvents(response: BuiltResponse): Generator<string> {
  let sequence = 0;
  const event = (type: string, fields: JsonObject) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  yield event('response.created', { response: response.start });
  yield event('response.in_progress', { response: response.start });
  for (const [outputIndex, item] of response.items.entries()) {
    const at = { item_id: item.id, output_index: outputIndex };
    if (item.type === 'reasoning') {
      const text = (item.content as JsonObject[])[0]!.text as string;
      yield event('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, content: [] },
      });
      for (const delta of splitText(text, response.deltaSize)) {
        yield event('response.reasoning_text.delta', { ...at, content_index: 0, delta });
      }
      yield event('response.reasoning_text.done', { ...at, content_index: 0, text });
    } else if (item.type === 'message') {
      const part = (item.content as JsonObject[])[0]!;
      const text = part.text as string;
      yield event('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      yield event('response.content_part.added', { ...at, content_index: 0, part: { ...part, text: '' } });
      for (const delta of splitText(text, response.deltaSize)) {
        yield event('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] });
      }
      yield event('response.output_text.done', { ...at, content_index: 0, text, logprobs: [] });
      yield event('response.content_part.done', { ...at, content_index: 0, part });
    } else {
      const args = item.arguments as string;
      yield event('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of splitArguments(args)) {
        yield event('response.function_call_arguments.delta', { ...at, delta });
      }
      yield event('response.function_call_arguments.done', { ...at, name: item.name, arguments: args });
    }
    yield event('response.output_item.done', { output_index: outputIndex, item });
  }
  const final = response.final;
  yield event(final.status === 'completed' ? 'response.completed' : 'response.incomplete', {
    response: final,
  });
}
