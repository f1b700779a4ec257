/** Small terminal helpers: colors only on a TTY and when NO_COLOR is unset (https://no-color.org). */

const enabled =
  process.stdout.isTTY === true && (process.env.NO_COLOR ?? '') === '' && process.env.TERM !== 'dumb';

function style(open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

export const bold = style(1, 22);
export const dim = style(2, 22);
export const red = style(31, 39);
export const green = style(32, 39);
export const yellow = style(33, 39);
export const magenta = style(35, 39);
export const cyan = style(36, 39);

/** Writes without a newline (for streamed text). */
export function write(text: string): void {
  process.stdout.write(text);
}

/** `1234567` -> `1,234,567`. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A share as a percentage, e.g. `0.625` -> `62.5%`. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Money with enough digits for fractions of a cent: `$0.000123`, `¥0.00089`. */
export function money(amount: number, currency: 'USD' | 'CNY'): string {
  const digits = amount !== 0 && amount < 0.01 ? 6 : 4;
  return `${currency === 'USD' ? '$' : '¥'}${amount.toFixed(digits)}`;
}

/** Shortens one-line text for display. */
export function clip(text: string, max = 100): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
