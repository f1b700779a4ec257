import { createSsrfGuard, guardedFetch, htmlToText, httpPack } from '@plumb/packs/http';

// The default: GET any public http(s) URL; private, loopback, link-local and metadata
// addresses are refused, also behind a host name or a redirect.
export const web = httpPack();

// Only some sites, with a smaller response cap and a shorter timeout.
export const docsOnly = httpPack({
  onlyHosts: ['docs.python.org', '*.wikipedia.org'],
  maxBytes: 200_000,
  timeoutMs: 10_000,
});

// An internal API: allow-list it explicitly, allow POST, and send a token the model never sees.
export const intranet = httpPack({
  allowHosts: ['api.intranet.example'],
  allowAddresses: ['10.20.0.0/16'],
  methods: ['GET', 'POST'],
  headers: { authorization: `Bearer ${process.env.INTRANET_TOKEN ?? ''}` },
  prefix: 'intranet', // intranet_fetch_url
});

// The guard and the guarded fetch are usable without an agent, too.
export async function readPage(url: string, signal?: AbortSignal): Promise<string> {
  const guard = createSsrfGuard({ onlyHosts: ['example.com'] });
  const response = await guardedFetch(url, { guard, timeoutMs: 5000, maxBytes: 500_000, signal });
  return htmlToText(new TextDecoder().decode(response.body), { baseUrl: response.url }).text;
}
