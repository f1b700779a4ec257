import { createInterface } from 'node:readline';

/** Reads lines from a stream one at a time (stdin for chat and approvals); undefined at its end. */
export class LineReader {
  readonly #lines: AsyncIterator<string>;
  readonly #close: () => void;

  constructor(input: NodeJS.ReadableStream) {
    const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
    this.#lines = rl[Symbol.asyncIterator]();
    this.#close = () => rl.close();
  }

  async next(): Promise<string | undefined> {
    const item = await this.#lines.next();
    return item.done ? undefined : item.value;
  }

  close(): void {
    this.#close();
  }
}
