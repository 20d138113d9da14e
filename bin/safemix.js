#!/usr/bin/env -S node --expose-gc
// The `safemix` command. In a development checkout (src/ present, tsx installed) it runs the
// TypeScript source, so it can never run a stale build; an installed package runs dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
let tsx = false;
if (existsSync(source)) {
  try {
    await import('tsx/esm');
    tsx = true;
  } catch {
    tsx = false;
  }
}
await import(tsx ? source.href : new URL('../dist/src/cli/main.js', import.meta.url).href);
