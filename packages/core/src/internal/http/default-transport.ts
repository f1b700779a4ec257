/**
 * The transport of a request that names no `fetch` and no `fetchOptions`, everywhere but Node:
 * fetch. The package's `#default-transport` import resolves here for the `bun`, `deno`, `workerd`,
 * `worker`, `browser` and `default` conditions, and to default-transport-node.ts for `node`.
 */
export { fetchTransport as defaultTransport } from './fetch-transport.js';
