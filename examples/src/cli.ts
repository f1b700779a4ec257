/**
 * `pnpm example` lists the examples; `pnpm example <name>` runs one.
 * Without DEEPSEEK_API_KEY every example runs offline against the DeepSeek emulator.
 */
import { hasApiKey } from './lib/connect.js';
import { EXAMPLES } from './lib/registry.js';
import { bold, dim } from './lib/terminal.js';

const name = process.argv[2];

if (name === undefined || name === '--help' || name === '-h' || name === 'list') {
  const width = Math.max(...EXAMPLES.map((entry) => entry.name.length));
  console.log(bold('plumb examples') + dim(' (run one with: pnpm example <name>)\n'));
  for (const entry of EXAMPLES) console.log(`  ${entry.name.padEnd(width)}  ${entry.description}`);
  console.log(
    dim(
      hasApiKey()
        ? '\nDEEPSEEK_API_KEY is set: examples call the real DeepSeek API (billed).'
        : '\nNo DEEPSEEK_API_KEY: examples run offline against the DeepSeek emulator.',
    ),
  );
} else {
  const entry = EXAMPLES.find((candidate) => candidate.name === name || candidate.file === name);
  if (entry === undefined) {
    console.error(`No example named "${name}". Available: ${EXAMPLES.map((e) => e.name).join(', ')}.`);
    process.exit(1);
  }
  process.argv.splice(2, 1); // the example sees its own arguments only
  await import(new URL(entry.file, import.meta.url).href);
}
