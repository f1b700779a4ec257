export type { ApprovalMode } from './approvals.js';
export { main, USAGE } from './cli.js';
export type { AgentModule } from './load-agent.js';
export { CliError, loadAgentModule } from './load-agent.js';
export type { Studio, StudioOptions } from './studio/server.js';
export { startStudio } from './studio/server.js';
