// Starts a worker thread on one of this folder's modules: its compiled JavaScript, or in a checkout
// run from the TypeScript sources (tests, the bench's sources) the .ts file, loaded through tsx's
// loader, which the worker registers first (a worker does not inherit the loader of the thread that
// starts it).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** A worker running `./<name>.js` (or `.ts`) beside this module, given `workerData` (and its heap's limits). */
export function startModuleWorker(name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData, resourceLimits });
  const require = createRequire(import.meta.url);
  const tsxPackage = require.resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import
    .default;
  const script = `import(${JSON.stringify(pathToFileURL(join(dirname(tsxPackage), api)).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL(`./${name}.ts`, import.meta.url).href)}); })`;
  return new Worker(script, { eval: true, workerData, resourceLimits });
}
