export { sqliteUnavailableReason } from './sqlite.js';
