/**
 * What a successful answer must contain. A 200 whose JSON lacks `choices` (a proxy's own reply, an
 * API that is not DeepSeek's) would otherwise resolve as a completion and fail later, far from the
 * cause; here it is a ResponseParseError naming the missing field.
 */
import { describeValue } from '../../client/check-options.js';
import { ResponseParseError } from '../../errors/errors.js';
import { redactStart } from '../redact.js';
import type { HttpRequest } from './transport.js';

/** Returns what is wrong (`choices: missing, expected a non-empty array`), or undefined when the answer fits. */
export type ResponseShape = (data: unknown) => string | undefined;

type Check = (value: unknown) => boolean;

const isObject: Check = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNonEmptyArray: Check = (value) => Array.isArray(value) && value.length > 0;

function field(record: Record<string, unknown>, name: string, path: string, check: Check, expected: string) {
  const value = record[name];
  return check(value)
    ? undefined
    : `\`${path}\` is ${name in record ? describeValue(value) : 'missing'}, expected ${expected}`;
}

function root(data: unknown): Record<string, unknown> | string {
  return isObject(data)
    ? (data as Record<string, unknown>)
    : `the body is ${describeValue(data)}, expected an object`;
}

/** Checks `choices[i]` with `each` after checking `choices` is a non-empty array. */
function choices(data: unknown, each: (choice: Record<string, unknown>, path: string) => string | undefined) {
  const body = root(data);
  if (typeof body === 'string') return body;
  const problem = field(body, 'choices', 'choices', isNonEmptyArray, 'a non-empty array');
  if (problem !== undefined) return problem;
  const list = body.choices as unknown[];
  for (let i = 0; i < list.length; i++) {
    const choice = list[i];
    const path = `choices[${i}]`;
    if (!isObject(choice)) return `\`${path}\` is ${describeValue(choice)}, expected an object`;
    const wrong = each(choice as Record<string, unknown>, path);
    if (wrong !== undefined) return wrong;
  }
  return undefined;
}

const textOrNull: Check = (value) => value === undefined || value === null || typeof value === 'string';

/** `POST /chat/completions`: choices with a message. */
export const chatCompletionShape: ResponseShape = (data) =>
  choices(data, (choice, path) => {
    const message = choice.message;
    if (!isObject(message)) {
      return `\`${path}.message\` is ${'message' in choice ? describeValue(message) : 'missing'}, expected an object`;
    }
    const record = message as Record<string, unknown>;
    return (
      field(record, 'content', `${path}.message.content`, textOrNull, 'a string or null') ??
      field(
        record,
        'tool_calls',
        `${path}.message.tool_calls`,
        (v) => v === undefined || v === null || Array.isArray(v),
        'an array',
      )
    );
  });

/** `POST /beta/completions` (FIM): choices with text. */
export const completionShape: ResponseShape = (data) =>
  choices(data, (choice, path) =>
    field(choice, 'text', `${path}.text`, (v) => typeof v === 'string', 'a string'),
  );

/** `GET /models`: a data array of models with ids. */
export const modelListShape: ResponseShape = (data) => {
  const body = root(data);
  if (typeof body === 'string') return body;
  const problem = field(body, 'data', 'data', Array.isArray, 'an array');
  if (problem !== undefined) return problem;
  const list = body.data as unknown[];
  for (let i = 0; i < list.length; i++) {
    const model = list[i];
    if (!isObject(model)) return `\`data[${i}]\` is ${describeValue(model)}, expected an object`;
    const wrong = field(
      model as Record<string, unknown>,
      'id',
      `data[${i}].id`,
      (v) => typeof v === 'string',
      'a string',
    );
    if (wrong !== undefined) return wrong;
  }
  return undefined;
};

/** `GET /user/balance`. */
export const balanceShape: ResponseShape = (data) => {
  const body = root(data);
  if (typeof body === 'string') return body;
  return (
    field(body, 'is_available', 'is_available', (v) => typeof v === 'boolean', 'true or false') ??
    field(body, 'balance_infos', 'balance_infos', Array.isArray, 'an array')
  );
};

/** The ResponseParseError for an answer that does not fit `shape`, or undefined. */
export function checkShape(
  shape: ResponseShape,
  data: unknown,
  request: HttpRequest,
  secrets: readonly string[],
  requestId: string | undefined,
): ResponseParseError | undefined {
  const problem = shape(data);
  if (problem === undefined) return undefined;
  let text: string;
  try {
    text = JSON.stringify(data) ?? String(data);
  } catch {
    text = String(data);
  }
  return new ResponseParseError(
    `DeepSeek's answer to ${request.method} ${request.path} is not what the API sends: ${problem}` +
      `${requestId ? ` (request id ${requestId})` : ''}. Check baseURL points at the DeepSeek API (a proxy or gateway may answer in its own format).`,
    redactStart(text, secrets),
  );
}
