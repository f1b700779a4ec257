import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { listen } from '../http/listen.js';
import { readBodyBytes } from '../http/read-body.js';
import type { Cassette, CassetteInteraction, RecordedRequest } from '../types.js';
import { errorEnvelope } from '../wire/errors.js';
import { redactAuthorization, scrub } from './cassette.js';

export interface RecorderOptions {
  /** The real API. Default `https://api.deepseek.com`. */
  target?: string | undefined;
  /** The real key, sent upstream only. Default `process.env.DEEPSEEK_API_KEY`. */
  apiKey?: string | undefined;
  /** Where the cassette JSON is written (after every exchange and on close). */
  cassette: string;
  /** Default 0: a free port. */
  port?: number | undefined;
  /** Default `127.0.0.1`. */
  host?: string | undefined;
  /** Upstream fetch. Default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
}

export interface Recorder {
  /** Point the client under test here (any API key works; the real one is added upstream). */
  url: string;
  port: number;
  /** Requests received (Authorization redacted). */
  requests: RecordedRequest[];
  /** The cassette being written. */
  cassette: Cassette;
  /** Writes the cassette file now. */
  save(): Promise<void>;
  /** Saves, then stops the server. */
  close(): Promise<void>;
}

/** Response headers that describe this hop's framing, not the API's answer. */
const HOP_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'content-encoding',
  'keep-alive',
  'set-cookie',
]);
const FORWARDED_REQUEST_HEADERS = [
  'content-type',
  'accept',
  'user-agent',
  'anthropic-version',
  'anthropic-beta',
];

/**
 * A recording proxy: forwards each request to the real DeepSeek API with your key, streams the
 * answer back unchanged, and writes a cassette (requests + raw responses) that
 * `startEmulator({ cassette })` replays offline. The key and the Authorization header are
 * redacted everywhere in the cassette.
 *
 * @example
 * const recorder = await startRecorder({ cassette: 'cassettes/weather.json' });
 * const client = new DeepSeek({ baseURL: recorder.url, apiKey: 'unused' });
 * // ... run the code under test once against the real API ...
 * await recorder.close();
 */
export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const apiKey = options.apiKey ?? process.env.DEEPSEEK_API_KEY;
  if (!apiKey) {
    throw new TypeError(
      'startRecorder needs `apiKey` (or the DEEPSEEK_API_KEY environment variable) to call the real API.',
    );
  }
  const target = (options.target ?? 'https://api.deepseek.com').replace(/\/+$/, '');
  const upstreamFetch = options.fetch ?? globalThis.fetch;
  const cassette: Cassette = { version: 1, target, recordedAt: new Date().toISOString(), interactions: [] };
  const requests: RecordedRequest[] = [];
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    saving = saving.then(async () => {
      await mkdir(dirname(options.cassette), { recursive: true });
      await writeFile(options.cassette, `${JSON.stringify(cassette, null, 2)}\n`);
    });
    return saving;
  };

  const listening = await listen(
    (request, response) => {
      void (async () => {
        response.on('error', () => undefined);
        // Bytes, not text: a multipart upload (POST /files) must reach the API unchanged.
        const bytes = await readBodyBytes(request, 64 * 1024 * 1024 + 1024 * 1024).catch(() => undefined);
        const rawBody = bytes?.toString('utf8');
        if (bytes === undefined || rawBody === undefined) {
          response.destroy();
          return;
        }
        const rawPath = request.url ?? '/';
        /** The path as recorded (the key never lands in the cassette, even in a query string). */
        const path = scrub(rawPath, apiKey);
        const method = request.method ?? 'GET';
        const recordedBody = scrub(rawBody, apiKey);
        let body: unknown;
        try {
          body = recordedBody === '' ? undefined : JSON.parse(recordedBody);
        } catch {
          body = undefined;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === 'string')
            headers[name] = name === 'authorization' ? redactAuthorization(value) : scrub(value, apiKey);
        }
        const record: RecordedRequest = {
          index: requests.length,
          method,
          path,
          headers,
          rawBody: recordedBody,
          body,
        };
        requests.push(record);
        const abort = new AbortController();
        response.once('close', () => abort.abort());
        try {
          const upstreamHeaders: Record<string, string> = { authorization: `Bearer ${apiKey}` };
          for (const name of FORWARDED_REQUEST_HEADERS) {
            const value = request.headers[name];
            if (typeof value === 'string') upstreamHeaders[name] = value;
          }
          const upstream = await upstreamFetch(target + rawPath, {
            method,
            headers: upstreamHeaders,
            ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(bytes) }),
            signal: abort.signal,
          });
          const responseHeaders: Record<string, string> = {};
          upstream.headers.forEach((value, name) => {
            if (!HOP_HEADERS.has(name)) responseHeaders[name] = scrub(value, apiKey);
          });
          record.status = upstream.status;
          response.writeHead(upstream.status, responseHeaders);
          const decoder = new TextDecoder();
          let text = '';
          if (upstream.body) {
            for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) {
              response.write(chunk);
              text += decoder.decode(chunk, { stream: true });
            }
          }
          text += decoder.decode();
          response.end();
          const isStream = (responseHeaders['content-type'] ?? '').includes('text/event-stream');
          const interaction: CassetteInteraction = {
            request:
              body === undefined && rawBody !== ''
                ? { method, path, rawBody: record.rawBody }
                : { method, path, body },
            response: {
              status: upstream.status,
              headers: responseHeaders,
              ...(isStream ? { chunks: splitEvents(scrub(text, apiKey)) } : { body: scrub(text, apiKey) }),
            },
          };
          cassette.interactions.push(interaction);
          await save();
        } catch (error) {
          if (response.headersSent) {
            response.destroy();
            return;
          }
          const reason = error instanceof Error ? error.message : String(error);
          record.status = 502;
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end(
            errorEnvelope(
              `plumb recorder: the upstream request to ${target}${path} failed: ${scrub(reason, apiKey)}`,
              'recorder_error',
            ),
          );
        }
      })();
    },
    options.port,
    options.host,
  );

  return {
    url: listening.url,
    port: listening.port,
    requests,
    cassette,
    save,
    async close() {
      await listening.close();
      await save();
    },
  };
}

/** Raw SSE text -> events, each keeping its trailing blank line. */
function splitEvents(text: string): string[] {
  const events: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n', start)) {
    events.push(text.slice(start, end + 2));
    start = end + 2;
  }
  if (start < text.length) events.push(text.slice(start));
  return events;
}
