/**
 * `@plumb/core/internal`: what the sibling plumb packages (tools, agent, packs, mcp, ...) share with
 * core so that each rule has one home. NOT public API: names here may change in any release without
 * notice. Applications import from `@plumb/core`.
 *
 * @packageDocumentation
 */

export { checkRequestOptions } from './client/check-options.js';
export { createLogger } from './client/logger.js';
export { isRetiredModel, type RetiredModelId } from './client/model-ids.js';
export { checkDuration, checkFetchOptions, normalizeHeaders } from './client/options.js';
export { addCost, costIn, emptyCost } from './cost/cost.js';
export { CURRENCIES, isPriced } from './cost/pricing.js';
export { emptyUsage } from './cost/usage.js';
export { onAbort } from './internal/abort-fan-out.js';
export { isoNow } from './internal/iso-now.js';
export {
  checkLogger,
  checkOneOf,
  checkRetries,
  checkSignal,
  describeValue,
  didYouMean,
  findUnknownKey,
  inSamplingRange,
  isMaxTokens,
  isPositiveInteger,
  isRecord,
  isUserId,
  listValues,
  MAX_OUTPUT_TOKENS,
  type OptionFailure,
  positiveInteger,
  REASONING_EFFORTS,
  SAMPLING_FIELDS,
  type SamplingField,
  samplingRangeText,
  type UnknownKey,
} from './internal/option-checks.js';
export { isAppendOnly, promiseAppendOnly, revokeAppendOnly } from './internal/request/append-only.js';
export { CallPairing, type HistoryProblem } from './internal/request/message-checks.js';
export {
  firstDuplicate,
  MAX_TOOLS,
  mixedStrict,
  type ToolNameProblem,
  toolNameProblem,
} from './internal/tool-rules.js';
export { freezeOwnData } from './wire/frozen.js';
