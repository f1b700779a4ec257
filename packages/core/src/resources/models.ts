/** `client.models`: the models your key can use. */
import { APIPromise } from '../client/api-promise.js';
import type { RequestOptions } from '../client/options.js';
import type { HttpClient } from '../internal/http/http-client.js';
import { modelListShape } from '../internal/http/response-shape.js';
import type { ModelList } from '../wire/wire-types.js';

/** `GET /models`. */
export class Models {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Lists the current models (legacy ids still accepted by DeepSeek are not listed).
   *
   * @example
   * const { data } = await client.models.list();
   */
  list(options?: RequestOptions): APIPromise<ModelList> {
    return new APIPromise(
      this.#http.json<ModelList>(
        { method: 'GET', base: 'api', path: '/models', shape: modelListShape },
        options,
      ),
    );
  }
}
