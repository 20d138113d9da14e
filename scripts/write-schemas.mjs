// Writes schemas/*.json from the zod schemas: from the compiled dist/ (`npm run build`, after tsc),
// or from the TypeScript source with `npm run schemas` (node --import tsx scripts/write-schemas.mjs src).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../', import.meta.url));
const from = process.argv[2] === 'src' ? '../src/api/json-schemas.ts' : '../dist/src/api/json-schemas.js';
const { jsonSchemas, schemaText } = await import(new URL(from, import.meta.url).href);
mkdirSync(join(root, 'schemas'), { recursive: true });
for (const { file, schema } of jsonSchemas()) {
  writeFileSync(join(root, 'schemas', file), schemaText(schema));
  console.log(`wrote schemas/${file}`);
}
