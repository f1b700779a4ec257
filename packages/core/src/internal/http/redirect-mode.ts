/**
 * The `redirect` mode of every request. DeepSeek never redirects, and a redirected POST would lose
 * its body, so redirects are refused: `'error'` makes fetch reject them (and spares undici a copy
 * of every request, which it keeps for requests it may redirect). Cloudflare Workers' fetch does
 * not implement `'error'` (it throws on it), so there `'manual'` is used and a 3xx answer is
 * refused by the client instead (transport.ts), with the same error.
 */
export const REDIRECT_MODE: RequestRedirect =
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers'
    ? 'manual'
    : 'error';
