export { SessionStoreError } from './errors.js';
export { openSessionStore } from './open-store.js';
export type { PgPool, PgPoolClient, PgQueryable, PostgresSessionStoreOptions } from './postgres-store.js';
export { postgresSessionStore } from './postgres-store.js';
export type { SqliteSessionStoreOptions } from './sqlite-store.js';
export { sqliteSessionStore } from './sqlite-store.js';
