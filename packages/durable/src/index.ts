export { AccountGate, type AccountGateOptions, retryAfterMs } from './account-gate.js';
export { type DbosEngineOptions, dbosEngine } from './dbos-engine.js';
export {
  type AgentFactoryContext,
  Durable,
  type DurableAgentEntry,
  type DurableOptions,
  type StartOptions,
  type UsageRow,
} from './durable.js';
export type { DurableEngine, RunWorkflowArgs } from './engine.js';
export {
  DurableConfigError,
  DurableError,
  DurableRunFailedError,
  RunNotFoundError,
  RunStatusError,
} from './errors.js';
export type { DurableEvent } from './events.js';
export type { DurableRunInfo, DurableRunStatus } from './store.js';
export { OwnershipLostError, ToolsChangedError } from './workflow.js';
