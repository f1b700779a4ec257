import type { IncomingHttpHeaders } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { PackRemoteError } from '../errors.js';

/** One request to a destination the SSRF guard already validated. */
export interface ConnectRequest {
  url: URL;
  method: string;
  /** Request headers, lower-case names. `host` is derived from `url`. */
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** The validated address to connect to. A connector must not resolve `url.hostname` again. */
  address: string;
  family: 4 | 6;
  signal: AbortSignal;
}

/** The start of a response: status and headers, and a body that is read (and can be stopped) later. */
export interface ConnectResponse {
  status: number;
  /** Lower-case header names. */
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Uint8Array>;
  /** Stops the transfer and releases the connection (called after the size cap or a redirect). */
  cancel(): void;
}

/**
 * Performs one HTTP exchange with a validated address. The default uses node:http(s) with a
 * `lookup` pinned to the validated address, so a second DNS answer (DNS rebinding) is never used;
 * TLS still verifies the certificate against the URL's host name. Tests inject a recording one.
 */
export type Connector = (request: ConnectRequest) => Promise<ConnectResponse>;

/** The default connector: node:http / node:https, connecting only to `request.address`. */
export const nodeConnector: Connector = (request) =>
  new Promise<ConnectResponse>((resolve, reject) => {
    const { url, address, family } = request;
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const isHttps = url.protocol === 'https:';
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname: isIP(hostname) ? address : hostname,
      port: url.port === '' ? (isHttps ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: { ...request.headers, host: url.host },
      lookup: pinned,
      family,
      agent: false,
      signal: request.signal,
    };
    if (isHttps && !isIP(hostname)) options.servername = hostname;
    const outgoing = (isHttps ? https : http).request(options, (incoming) => {
      resolve({
        status: incoming.statusCode ?? 0,
        headers: incoming.headers,
        body: incoming,
        cancel() {
          incoming.destroy();
          outgoing.destroy();
        },
      });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (request.signal.aborted) {
        reject(request.signal.reason);
        return;
      }
      reject(
        new PackRemoteError(
          'connection_failed',
          `Could not connect to ${url.host}${error.code ? ` (${error.code})` : ''}: ${error.message}`,
          { cause: error },
        ),
      );
    });
    if (request.body !== undefined) outgoing.end(request.body);
    else outgoing.end();
  });
