import { badRequest, texts } from '../wire/errors.js';
import { findModel, type ModelInfo, unsupportedModelText } from '../wire/models.js';
import { Deserializer, isObject, type JsonObject } from '../wire/serde.js';

/** FIM output is capped at 4K tokens (DeepSeek's FIM guide). */
const FIM_MAX_TOKENS = 4096;

export interface FimPlan {
  body: JsonObject;
  model: ModelInfo;
  modelId: string;
  prompt: string;
  suffix: string | undefined;
  echo: boolean;
  /** Requested top-logprob count (`logprobs` is an integer on this endpoint). */
  logprobs: number | undefined;
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
}

/** `POST /beta/completions` body checks (FIM always runs in non-thinking mode). */
export function validateFim(body: unknown, raw: string): FimPlan {
  const d: Deserializer = new Deserializer(raw);
  d.object(body, '', 'CompletionRequest');
  for (const [key, value] of Object.entries(body)) {
    if (key === 'model' || key === 'prompt') d.string(value, key);
    else if (key === 'suffix') d.string(value, key, true);
    else if (key === 'echo' || key === 'stream') d.boolean(value, key);
    else if (key === 'logprobs' || key === 'max_tokens') d.unsigned(value, key);
    else if (key === 'stream_options' && value !== null) d.object(value, key, 'StreamOptions');
    else if (['temperature', 'top_p', 'frequency_penalty', 'presence_penalty'].includes(key))
      d.number(value, key);
  }
  d.required(body, 'model', '');
  d.required(body, 'prompt', '');
  const model = findModel(body.model as string);
  if (!model) throw badRequest(unsupportedModelText(String(body.model)));
  const maxTokens = (body.max_tokens as number | null | undefined) ?? undefined;
  if (maxTokens !== undefined && (maxTokens < 1 || maxTokens > FIM_MAX_TOKENS)) {
    throw badRequest(texts.maxTokensRange(FIM_MAX_TOKENS));
  }
  const logprobs = (body.logprobs as number | null | undefined) ?? undefined;
  if (logprobs !== undefined && logprobs > 20) {
    throw badRequest('Invalid logprobs value, the valid range of logprobs is [0, 20]');
  }
  const suffix = (body.suffix as string | null | undefined) ?? undefined;
  const echo = body.echo === true;
  if (echo && (suffix !== undefined || logprobs !== undefined)) {
    throw badRequest('`echo` cannot be used together with `suffix` or `logprobs`.');
  }
  const stream = body.stream === true;
  if (body.stream_options != null && !stream) throw badRequest(texts.streamOptionsWithoutStream);
  return {
    body,
    model,
    modelId: body.model as string,
    prompt: body.prompt as string,
    suffix,
    echo,
    logprobs,
    maxTokens,
    stream,
    includeUsage: stream && isObject(body.stream_options) && body.stream_options.include_usage === true,
  };
}
