// The covert-encoding check's language models (about 2.5 MB of tables) are built for the analysis and
// let go after it (releaseLanguageModels), so that they do not stay in memory through a mix's second
// pass. A cache of the recently fitting languages once kept them alive after the release: this test
// holds the release to memory actually returned.
import { describe, it, expect } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readsNatural, naturalness, releaseLanguageModels } from '../../src/encoding/language-model.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MULTI = join(__dirname, '../corpus/multilingual/questions_xquad_11lang.tsv');

async function collect(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  return process.memoryUsage().arrayBuffers;
}

describe('releaseLanguageModels', () => {
  it("returns the models' memory: the analysis scored real text in 11 languages, and after the release the tables are collected", async () => {
    const texts = readFileSync(MULTI, 'utf8')
      .split('\n')
      .slice(1, 60)
      .flatMap((l) => l.split('\t'))
      .filter((t) => t.length > 20);
    expect(texts.length).toBeGreaterThan(100);
    const before = await collect();
    // every path that keeps models: scores (and their cache), the recently fitting languages, the ids
    for (const t of texts) {
      readsNatural(t);
      naturalness(t);
    }
    const built = await collect();
    expect(built - before).toBeGreaterThan(2 * 1024 * 1024);
    releaseLanguageModels();
    const after = await collect();
    // all of it comes back (the old cache kept every table)
    expect(after - before).toBeLessThan((built - before) / 10);
  });
});
