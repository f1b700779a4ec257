/** OpenTelemetry support: what the client uses, and what the agent builds its own spans with. */
export type { CallTelemetry, ChatOutcome } from './chat-span.js';
export { clean as cleanAttributes, errorType, usageAttributes } from './chat-span.js';
export type { ContentMessage, ContentPart } from './content.js';
export { assistantParts, inputMessages } from './content.js';
export type {
  Attributes,
  AttributeValue,
  OtelApi,
  OtelContext,
  OtelCounter,
  OtelHistogram,
  OtelLink,
  OtelMeter,
  OtelSpan,
  OtelSpanContext,
  OtelTracer,
} from './otel-types.js';
export { SPAN_KIND_CLIENT, SPAN_KIND_INTERNAL, STATUS_ERROR } from './otel-types.js';
export type { Instruments, TelemetryOptions, TelemetrySettings } from './telemetry.js';
export { Telemetry } from './telemetry.js';
