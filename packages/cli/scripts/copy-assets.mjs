// The studio's page, script and style are plain files: copied next to the compiled server.
import { cpSync } from 'node:fs';

cpSync(
  new URL('../src/studio/assets/', import.meta.url),
  new URL('../dist/studio/assets/', import.meta.url),
  {
    recursive: true,
  },
);
