/** The model ids the emulated API accepts, and the `/models` list it serves (late-2026 shape). */

export interface ModelInfo {
  id: string;
  /** Listed by `GET /models` (legacy names are accepted but not listed). */
  listed: boolean;
  /** Accepts image parts in user messages. */
  vision: boolean;
  /** The `system_fingerprint` real responses for this model carry. */
  fingerprint: string;
  /** The rich `/models` entry. */
  entry?: Record<string, unknown> | undefined;
}

const FLASH_ENTRY = {
  id: 'deepseek-flash',
  object: 'model',
  owned_by: 'deepseek',
  name: 'DeepSeek-V4.1-Flash',
  context_window: 1_048_576,
  max_output_tokens: 393_216,
  input_modalities: ['text', 'image'],
  output_modalities: ['text'],
  effort: { supported_levels: ['low', 'high', 'max'], default_level: 'high' },
  api_capabilities: { anthropic_messages: { system_prompt_update: 'in-history' } },
};

const PRO_ENTRY = {
  id: 'deepseek-v4-pro',
  object: 'model',
  owned_by: 'deepseek',
  name: 'DeepSeek-V4-Pro',
  context_window: 1_048_576,
  max_output_tokens: 393_216,
  input_modalities: ['text'],
  output_modalities: ['text'],
};

const MODELS: ModelInfo[] = [
  {
    id: 'deepseek-flash',
    listed: true,
    vision: true,
    fingerprint: 'aeb56401ca74e127821c4f9126dcb669',
    entry: FLASH_ENTRY,
  },
  {
    id: 'deepseek-v4-pro',
    listed: true,
    vision: false,
    fingerprint: 'a307abda487cd1b463329ccb945ce396',
    entry: PRO_ENTRY,
  },
  { id: 'deepseek-v4-flash', listed: false, vision: true, fingerprint: 'a26a7955944dc5c60445bff77fac9c8e' },
  {
    id: 'deepseek-v4-flash-vision-exp',
    listed: false,
    vision: true,
    fingerprint: 'a26a7955944dc5c60445bff77fac9c8e',
  },
];

/**
 * Model ids that work (`deepseek-flash`, `deepseek-v4-pro`, legacy `deepseek-v4-flash` and
 * `deepseek-v4-flash-vision-exp`). `deepseek-chat` / `deepseek-reasoner` were retired on
 * 2026-07-24 and get the "supported API model names" 400, like any unknown id.
 */
export const SUPPORTED_MODELS: readonly string[] = MODELS.map((model) => model.id);

export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((model) => model.id === id);
}

/**
 * The model that really serves an id, which is what a KV cache belongs to: the legacy Flash names
 * are served by `deepseek-flash` (one cache), Pro has its own.
 */
export function servingModel(model: ModelInfo): string {
  return model.listed ? model.id : 'deepseek-flash';
}

/**
 * DeepSeek's V4-era text for an unknown (or retired) model id. The real capture
 * (`error-400-unsupported-model-name-v4.json`, May 2026) reads "The supported API model names are
 * deepseek-v4-pro or deepseek-v4-flash, but you passed gpt-5.5."; the emulator names the ids
 * `/models` lists today.
 */
export function unsupportedModelText(passed: string): string {
  const names = MODELS.filter((model) => model.listed).map((model) => model.id);
  return `The supported API model names are ${[...names].reverse().join(' or ')}, but you passed ${passed}.`;
}

/** The `GET /models` body. */
export function modelsListBody(): string {
  return JSON.stringify({
    object: 'list',
    data: MODELS.filter((model) => model.listed).map((model) => model.entry),
  });
}
