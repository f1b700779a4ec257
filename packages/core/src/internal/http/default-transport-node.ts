/**
 * The transport of a request that names no `fetch` and no `fetchOptions`, on Node: node:http. The
 * package's `#default-transport` import resolves here for the `node` condition only (listed after
 * `bun`, `deno`, `workerd`, `worker` and `browser`, so those runtimes stay on fetch).
 */
export { nodeTransport as defaultTransport } from './node-transport.js';
