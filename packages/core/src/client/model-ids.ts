/**
 * The model ids plumb knows, checked before the first request: DeepSeek answers an unknown id with
 * a 400 `Model Not Exist` only after a round trip, and the ids most code still carries
 * (`deepseek-chat`, `deepseek-reasoner`) were retired on 2026-07-24.
 */

import { PreflightError } from '../errors/errors.js';
import { cutText } from '../streaming/text.js';
import { didYouMean } from './check-options.js';

/** The current model ids (what `GET /models` lists). */
export const CURRENT_MODELS: readonly string[] = ['deepseek-flash', 'deepseek-v4-pro'];

/** Older ids DeepSeek still accepts (served by deepseek-flash), not listed by `GET /models`. */
export const LEGACY_MODELS: readonly string[] = ['deepseek-v4-flash', 'deepseek-v4-flash-vision-exp'];

/** Retired ids (rejected by DeepSeek since 2026-07-24 15:59 UTC), with what replaces each. */
export const RETIRED_MODELS: Readonly<Record<string, string>> = {
  'deepseek-chat': "'deepseek-flash' with thinking: { type: 'disabled' }",
  'deepseek-reasoner': "'deepseek-flash' (thinking is on by default)",
  'deepseek-coder': "'deepseek-flash'",
} satisfies Record<RetiredModelId, string>;

/** The retired ids: the one list, which other packages phrase their advice for (`Record<RetiredModelId, ...>`). */
export type RetiredModelId = 'deepseek-chat' | 'deepseek-reasoner' | 'deepseek-coder';

/** Whether `model` is a retired id. */
export function isRetiredModel(model: string): model is RetiredModelId {
  return Object.hasOwn(RETIRED_MODELS, model);
}

const HATCH =
  'If DeepSeek released this model after your plumb version, list it in the client option `extraModels` ' +
  "(new DeepSeek({ extraModels: ['its-id'] })), or pass `preflight: false` for this request.";

/** Throws a PreflightError (rule `model-retired` or `model-unknown`) for an id plumb does not accept. */
export function checkModelId(model: string, extra: readonly string[] = []): void {
  if (CURRENT_MODELS.includes(model) || LEGACY_MODELS.includes(model) || extra.includes(model)) return;
  const current = CURRENT_MODELS.map((id) => `'${id}'`).join(' or ');
  const replacement = RETIRED_MODELS[model];
  if (replacement !== undefined) {
    throw new PreflightError(
      'model-retired',
      'model',
      `Model '${model}' was retired by DeepSeek on 2026-07-24 and every request with it fails. Use ${replacement}; the current models are ${current}.`,
    );
  }
  const shown = model.length > 64 ? `${cutText(model, 64)}…` : model;
  const guess = didYouMean(model, [...CURRENT_MODELS, ...LEGACY_MODELS], 2);
  throw new PreflightError(
    'model-unknown',
    'model',
    `Unknown model '${shown}'${guess ? ` (did you mean '${guess}'?)` : ''}: DeepSeek would answer 400 Model Not Exist. ` +
      `The current models are ${current}. ${HATCH}`,
  );
}
