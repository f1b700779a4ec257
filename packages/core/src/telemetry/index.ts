/** OpenTelemetry support: what the client uses, and what the agent builds its own spans with. */
export { clean as cleanAttributes, errorType, usageAttributes } from './chat-span.js';
export { assistantParts, inputMessages } from './content.js';
export type { Attributes, AttributeValue, OtelContext, OtelLink, OtelSpan } from './otel-types.js';
export { SPAN_KIND_INTERNAL, STATUS_ERROR } from './otel-types.js';
export type { TelemetryOptions, TelemetrySettings } from './telemetry.js';
export { Telemetry } from './telemetry.js';
