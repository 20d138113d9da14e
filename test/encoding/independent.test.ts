// The recall tests' positives come from encoders written apart from the detector: nothing under
// test/encoding/independent/ imports from src/ (or from the detector's test helpers).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const DIR = fileURLToPath(new URL('./independent/', import.meta.url));

describe('independent encoders', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  it('are encoders, fixtures and decoders', () => expect(files.sort()).toEqual(['decoders.ts', 'encoders.ts', 'fixtures.ts']));
  for (const f of files) {
    it(`${f} imports only node: modules and its own folder`, () => {
      const imports = [...readFileSync(join(DIR, f), 'utf8').matchAll(/^\s*import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      for (const spec of imports) expect(spec.startsWith('node:') || /^\.\/[\w-]+\.js$/.test(spec), `${f} imports ${spec}`).toBe(true);
    });
  }
});
