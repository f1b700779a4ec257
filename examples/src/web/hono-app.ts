/** The chat handler in a Hono app (Hono passes web-standard Requests through `c.req.raw`). */
import { Hono } from 'hono';

// #region hono
export function honoApp(handler: (request: Request) => Promise<Response>) {
  const app = new Hono();
  app.post('/api/chat', (c) => handler(c.req.raw));
  return app; // export default app on Bun, Deno or Workers; serve app.fetch on Node
}
// #endregion
