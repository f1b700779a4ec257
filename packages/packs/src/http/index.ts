export { PackConfigError, PackError, PackInputError, PackRemoteError } from '../errors.js';
export type { CommonPackOptions } from '../pack-options.js';
export { type Connector, type ConnectRequest, type ConnectResponse, nodeConnector } from './connector.js';
export { type GuardedFetchOptions, type GuardedResponse, guardedFetch } from './guarded-fetch.js';
export { type HtmlText, type HtmlToTextOptions, htmlToText } from './html-to-text.js';
export { type HttpPackOptions, httpPack } from './http-pack.js';
export { blockedReason, type Cidr, type ParsedIp, parseCidr, parseIp } from './ip-ranges.js';
export type { FetchFormat, FetchResult } from './render.js';
export { renderResponse } from './render.js';
export {
  createSsrfGuard,
  type ResolvedAddress,
  type Resolver,
  type SsrfGuard,
  type SsrfPolicy,
  systemResolver,
  type ValidatedTarget,
} from './ssrf-guard.js';
