export type { PostgresCluster } from './postgres.js';
export { findPostgresBin, postgresUnavailableReason, startPostgres } from './postgres.js';
