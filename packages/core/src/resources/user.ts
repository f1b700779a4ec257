/** `client.user`: account information. */
import { APIPromise } from '../client/api-promise.js';
import type { RequestOptions } from '../client/options.js';
import type { HttpClient } from '../internal/http/http-client.js';
import { balanceShape } from '../internal/http/response-shape.js';
import type { Balance } from '../wire/wire-types.js';

/** `GET /user/balance`. */
export class User {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * The account balance. Amounts are decimal strings, e.g. `"110.00"`.
   *
   * @example
   * const { is_available, balance_infos } = await client.user.balance();
   */
  balance(options?: RequestOptions): APIPromise<Balance> {
    return new APIPromise(
      this.#http.json<Balance>(
        { method: 'GET', base: 'api', path: '/user/balance', shape: balanceShape },
        options,
      ),
    );
  }
}
