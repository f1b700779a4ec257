/**
 * Prints each distinct process warning once, tagged with the framework. @openai/agents leaks an
 * abort listener per model call on Node 20 (MaxListenersExceededWarning), which would otherwise
 * print one warning per run: hundreds of lines in the many-agents scenario.
 */
export function printWarningsOnce(tag: string): void {
  const seen = new Set<string>();
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    const text = `${warning.name}: ${warning.message}`;
    if (seen.has(text)) return;
    seen.add(text);
    process.stderr.write(`(${tag}) ${text} (printed once per process)\n`);
  });
}
