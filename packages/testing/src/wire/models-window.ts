/**
 * `GET /models` as an emulator with a custom `contextWindow` serves it: every listed model
 * reports that window (and an output limit no larger), so code that sizes its requests from
 * `/models` can be tested against a small window. The default window serves the real list as is.
 */
export function modelsBodyForWindow(body: string, contextWindow: number, defaultWindow: number): string {
  if (contextWindow === defaultWindow) return body;
  const list = JSON.parse(body) as { data: Array<Record<string, unknown>> };
  for (const model of list.data) {
    model.context_window = contextWindow;
    if (typeof model.max_output_tokens === 'number') {
      model.max_output_tokens = Math.min(model.max_output_tokens, contextWindow);
    }
  }
  return JSON.stringify(list);
}
