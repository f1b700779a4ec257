import { AgentConfigError } from '../errors.js';
import type { Model, ModelRequest, ModelTurn } from './types.js';

/**
 * Behaviour around a model's turns (logging, caching, recording, tracing, rewriting requests),
 * as the AI SDK's `wrapLanguageModel` middleware. Both parts are optional.
 */
export interface ModelMiddleware {
  /** Returns the request the model (or the next middleware) gets: change settings, headers, messages. */
  transformRequest?: ((request: ModelRequest) => ModelRequest | Promise<ModelRequest>) | undefined;
  /**
   * Wraps each turn: call `next(request)` (with the request as it is or changed) and return its
   * turn, or a changed turn, or a turn of your own without calling it (a cache hit).
   */
  wrapTurn?:
    | ((
        request: ModelRequest,
        next: (request: ModelRequest) => Promise<ModelTurn>,
        model: Model,
      ) => Promise<ModelTurn>)
    | undefined;
}

/**
 * A model whose turns go through `middleware`. With a list, the first middleware is the
 * outermost: it sees the request first and the turn last. The model id and client are the
 * wrapped model's.
 *
 * @example
 * const logged = wrapModel(deepseekModel('deepseek-flash'), {
 *   wrapTurn: async (request, next) => {
 *     const turn = await next(request);
 *     console.log(request.stepIndex, turn.finishReason, turn.usage?.total_tokens);
 *     return turn;
 *   },
 * });
 */
export function wrapModel(model: Model, middleware: ModelMiddleware | readonly ModelMiddleware[]): Model {
  const list = Array.isArray(middleware) ? middleware : [middleware as ModelMiddleware];
  let wrapped = model;
  for (let i = list.length - 1; i >= 0; i--) wrapped = wrapOne(wrapped, list[i] as ModelMiddleware);
  return wrapped;
}

function wrapOne(model: Model, middleware: ModelMiddleware): Model {
  if (typeof middleware !== 'object' || middleware === null) {
    throw new AgentConfigError(
      'middleware',
      'wrapModel() takes an object { transformRequest?, wrapTurn? } or a list of them.',
    );
  }
  const { transformRequest, wrapTurn } = middleware;
  for (const [key, value] of [
    ['transformRequest', transformRequest],
    ['wrapTurn', wrapTurn],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new AgentConfigError(`middleware.${key}`, `expected a function, got ${typeof value}.`);
    }
  }
  const inner = (request: ModelRequest) => model.turn(request);
  const around = wrapTurn === undefined ? inner : (request: ModelRequest) => wrapTurn(request, inner, model);
  const turn =
    transformRequest === undefined
      ? around
      : async (request: ModelRequest) => around(await transformRequest(request));
  return { modelId: model.modelId, client: model.client, turn };
}
