import type { Exchange } from '../http/exchange.js';
import { CONTEXT_WINDOW, EmulatorHttpError, texts } from '../wire/errors.js';
import { findModel, modelsListBody } from '../wire/models.js';
import { modelsBodyForWindow } from '../wire/models-window.js';

/** `GET /models` (also `/v1/models`): the rich late-2026 list (legacy names are not listed). */
export function handleModels(exchange: Exchange): void {
  const { contextWindow } = exchange.state;
  exchange.json(200, modelsBodyForWindow(modelsListBody(), contextWindow, CONTEXT_WINDOW));
}

/** `GET /models/{id}`: one listed model, or 404 `Model Not Exist`. */
export function handleModel(exchange: Exchange, id: string): void {
  const model = findModel(decodeURIComponent(id));
  if (!model?.listed) throw new EmulatorHttpError(404, texts.modelNotExist);
  exchange.json(200, JSON.stringify(model.entry));
}

/** `GET /user/balance`: amounts are decimal strings, as on the real API. */
export function handleBalance(exchange: Exchange): void {
  const balance = exchange.state.options.balance ?? {};
  const granted = balance.granted ?? '0.00';
  const toppedUp = balance.toppedUp ?? '100.00';
  const total = balance.total ?? (Number(granted) + Number(toppedUp)).toFixed(2);
  const body = {
    is_available: balance.isAvailable ?? true,
    balance_infos: [
      {
        currency: balance.currency ?? 'CNY',
        total_balance: total,
        granted_balance: granted,
        topped_up_balance: toppedUp,
      },
    ],
  };
  exchange.json(200, JSON.stringify(body));
}
