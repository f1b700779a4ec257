import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const conditions = ['@plumb/source', 'import', 'module', 'node', 'default'];
const guard = fileURLToPath(new URL('./scripts/fail-on-console.ts', import.meta.url));

/** The vitest project every package uses: source condition, console guard, no live tests. */
export function packageProject(name: string) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['src/**/*.test.ts'],
      exclude: [
        '**/node_modules/**',
        '**/dist/**',
        ...(process.env.DEEPSEEK_API_KEY ? [] : ['**/*.live.test.ts']),
      ],
      setupFiles: [guard],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}
