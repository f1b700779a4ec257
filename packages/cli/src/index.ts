export type { ApprovalMode } from './approvals.js';
export { main, USAGE } from './cli.js';
export { CliError } from './errors.js';
export type { AgentModule } from './load-agent.js';
export { loadAgentModule } from './load-agent.js';
export type { Studio, StudioOptions } from './studio/server.js';
export { startStudio } from './studio/server.js';
