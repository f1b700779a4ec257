// Entry for Cloudflare Workers (workerd): GET / runs the loop against env.EMULATOR_URL.
import { runLoop } from './app.mjs';

export default {
  async fetch(_request, env) {
    try {
      return new Response(await runLoop({ baseURL: env.EMULATOR_URL, runtime: 'workerd' }));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    }
  },
};
