/** Which handler a method + path goes to. */
export type Route =
  | { kind: 'chat'; beta: boolean }
  | { kind: 'fim' }
  | { kind: 'models' }
  | { kind: 'model'; id: string }
  | { kind: 'balance' }
  | { kind: 'search' }
  | { kind: 'fetch' }
  | { kind: 'files-create' }
  | { kind: 'files-list' }
  | { kind: 'file'; id: string; method: 'GET' | 'DELETE' }
  | { kind: 'responses' }
  | { kind: 'anthropic-messages' }
  | { kind: 'fim-outside-beta' }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

const POST_ROUTES: Record<string, Route> = {
  '/chat/completions': { kind: 'chat', beta: false },
  '/v1/chat/completions': { kind: 'chat', beta: false },
  '/beta/chat/completions': { kind: 'chat', beta: true },
  '/beta/completions': { kind: 'fim' },
  '/completions': { kind: 'fim-outside-beta' },
  '/v1/completions': { kind: 'fim-outside-beta' },
  '/v1/tools/search': { kind: 'search' },
  '/tools/search': { kind: 'search' },
  '/v1/tools/fetch': { kind: 'fetch' },
  '/tools/fetch': { kind: 'fetch' },
  '/files': { kind: 'files-create' },
  '/v1/files': { kind: 'files-create' },
  '/responses': { kind: 'responses' },
  '/v1/responses': { kind: 'responses' },
  '/anthropic/v1/messages': { kind: 'anthropic-messages' },
  '/anthropic/messages': { kind: 'anthropic-messages' },
};

const GET_ROUTES: Record<string, Route> = {
  '/models': { kind: 'models' },
  '/v1/models': { kind: 'models' },
  '/beta/models': { kind: 'models' },
  '/user/balance': { kind: 'balance' },
  '/v1/user/balance': { kind: 'balance' },
  '/files': { kind: 'files-list' },
  '/v1/files': { kind: 'files-list' },
};

const MODEL_PATH = /^(?:\/v1|\/beta)?\/models\/([^/]+)$/;
const FILE_PATH = /^(?:\/v1)?\/files\/([^/]+)$/;

/**
 * Routes as DeepSeek serves them: chat under `/`, `/v1` and `/beta`; FIM only at
 * `/beta/completions` (`/completions` and `/v1/completions` are 404s that name the beta base
 * URL); Search/Fetch under `/v1/tools`.
 */
export function resolveRoute(method: string, path: string): Route {
  const pathname = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  const route = (method === 'POST' ? POST_ROUTES : method === 'GET' ? GET_ROUTES : {})[pathname];
  if (route) return route;
  const model = method === 'GET' ? MODEL_PATH.exec(pathname) : null;
  if (model) return { kind: 'model', id: model[1]! };
  const file = FILE_PATH.exec(pathname);
  if (file && (method === 'GET' || method === 'DELETE'))
    return { kind: 'file', id: decodeURIComponent(file[1]!), method };
  if (file) return { kind: 'method-not-allowed' };
  if (POST_ROUTES[pathname] || GET_ROUTES[pathname]) return { kind: 'method-not-allowed' };
  return { kind: 'not-found' };
}
