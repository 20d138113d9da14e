#!/usr/bin/env node
// The `safemix` command: runs the compiled CLI when the package is built (npm run build),
// else the TypeScript source through tsx, as in a development checkout.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  await import('tsx/esm');
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
