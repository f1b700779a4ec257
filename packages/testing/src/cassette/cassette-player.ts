import type { Exchange } from '../http/exchange.js';
import { recordFailure, StateSlot } from '../state.js';
import type { Cassette, CassetteInteraction } from '../types.js';
import { EmulatorHttpError } from '../wire/errors.js';
import { loadCassette, mismatch } from './cassette.js';

/** Headers not replayed as recorded (the body is re-framed by this server). */
const SKIPPED_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'content-encoding',
  'keep-alive',
]);

/** The cassette an emulator replays (`cassette` option), if any; `reset()` rewinds it. */
export const CASSETTE = new StateSlot(
  (options) =>
    options.cassette === undefined ? undefined : new CassettePlayer(loadCassette(options.cassette)),
  (player) => player?.reset(),
);

/**
 * Serves a cassette offline. Each request takes the first unused interaction it matches (method,
 * path and JSON body); one that matches none gets a 400 `emulator_cassette_mismatch` naming the
 * first difference from the next unused interaction, and the failure is recorded.
 */
class CassettePlayer {
  readonly cassette: Cassette;
  private readonly used: boolean[];

  constructor(cassette: Cassette) {
    this.cassette = cassette;
    this.used = cassette.interactions.map(() => false);
  }

  async replay(exchange: Exchange): Promise<void> {
    const interactions = this.cassette.interactions;
    const index = interactions.findIndex(
      (interaction, position) => !this.used[position] && mismatch(interaction, exchange.record) === undefined,
    );
    if (index === -1) throw this.mismatchError(exchange);
    this.used[index] = true;
    await this.send(exchange, interactions[index]!);
  }

  /** Unused interactions, for `assertDone()`. */
  unusedMessage(): string | undefined {
    const left = this.used.filter((used) => !used).length;
    if (left === 0) return undefined;
    const next = this.cassette.interactions[this.used.indexOf(false)]!.request;
    return `${left} of ${this.used.length} cassette interaction(s) were not replayed (next: ${next.method} ${next.path})`;
  }

  reset(): void {
    this.used.fill(false);
  }

  private mismatchError(exchange: Exchange): EmulatorHttpError {
    const { record } = exchange;
    const nextIndex = this.used.indexOf(false);
    const detail =
      nextIndex === -1
        ? `all ${this.used.length} recorded interaction(s) were already replayed`
        : `closest is interaction ${nextIndex}: ${mismatch(this.cassette.interactions[nextIndex]!, record)}`;
    const message = `plumb emulator: request #${record.index} (${record.method} ${record.path}) matches no recorded interaction; ${detail}. Re-record the cassette if the request changed on purpose.`;
    recordFailure(exchange.state, message);
    return new EmulatorHttpError(400, message, 'emulator_cassette_mismatch');
  }

  private async send(exchange: Exchange, interaction: CassetteInteraction): Promise<void> {
    const { status, headers, body, chunks } = interaction.response;
    const replayed: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (!SKIPPED_HEADERS.has(name.toLowerCase())) replayed[name.toLowerCase()] = value;
    }
    exchange.head(status, replayed);
    if (chunks) {
      for (const chunk of chunks) await exchange.write(chunk);
    } else if (body !== undefined) await exchange.write(body);
    exchange.response.end();
  }
}
