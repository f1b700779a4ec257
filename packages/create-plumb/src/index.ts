export { main, USAGE } from './cli.js';
export type { ScaffoldOptions } from './scaffold.js';
export { ScaffoldError, scaffold } from './scaffold.js';
