// Every record is screened (src/encoding/screen.ts), not only the sample: encoded rows placed where
// the default sample never looks (the sample depends only on the record count and the public seed, so
// an uploader can compute it) are still found and the verdict is `encoded`; the screen's reservoir of
// suspects is seeded with SAFEMIX_SAMPLE_SECRET too. The rows come from the independent encoders
// (test/encoding/independent/, nothing from src/).
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDataset } from '../../src/api/sample.js';
import { analyzeSample } from '../../src/api/encoding-check.js';
import { analyzeScreened } from '../../src/api/encoding-screened.js';
import { inspectFile } from '../../src/api/inspect.js';
import { planShards } from '../../src/shard/plan.js';
import { VARIANTS } from './independent/encoders.js';
import { dataset } from './independent/fixtures.js';
import { tempDir } from '../helpers.js';

const TOTAL = 12_000;

function lines(rows: { value: unknown }[]): string {
  return rows.map((r) => JSON.stringify(r.value)).join('\n') + '\n';
}

describe('encoded rows placed outside the default sample', () => {
  for (const prefix of ['Walnut53: substitution', 'keyed substitution, case']) {
    const variant = VARIANTS.find((v) => v.name.startsWith(prefix))!;
    it(`${variant.name}: 2% of ${TOTAL.toLocaleString('en')} records, none in the sample: the sample alone misses them, the screen finds them`, async () => {
      const dir = tempDir('safemix-screen-');
      const plain = dataset(variant, 0, TOTAL, 3);
      const path = join(dir, 'data.jsonl');
      writeFileSync(path, lines(plain));
      // the uploader's computation: which records the default sample takes (it depends on the count only)
      const { sample: seen } = await sampleDataset(path, {});
      const sampled = new Set(seen.map((r) => r.index));
      const encoded = dataset(variant, 1, Math.round(TOTAL * 0.02), 5);
      const rows = [...plain];
      let placed = 0;
      for (let i = 0; i < TOTAL && placed < encoded.length; i += 7) if (!sampled.has(i)) rows[i] = encoded[placed++]!;
      expect(placed).toBe(encoded.length);
      writeFileSync(path, lines(rows));
      const run = await sampleDataset(path, { screen: true });
      // the same records sampled: the rows sit outside it
      expect(run.sample.map((r) => r.index)).toEqual(seen.map((r) => r.index));
      expect(analyzeSample('openai-chat', run.sample).verdict).toBe('none');
      expect(run.screened!.count).toBeGreaterThanOrEqual(0.8 * encoded.length);
      const report = analyzeScreened('openai-chat', run.sample, run.screened, run.records);
      expect(report.verdict, report.reason).toBe('encoded');
      expect(report.reason).toMatch(/screen of every record/);
      // inspect gives the same verdict, the same way
      if (prefix.startsWith('Walnut53')) expect((await inspectFile(path)).encoding.verdict).toBe('encoded');
    });
  }

  // (multi-line answers that start their lines with words are candidates for a word or a letter per line: a few percent of this data)
  it('a clean file of the same size: the screen flags under 5% of the records and the verdict stays none', async () => {
    const dir = tempDir('safemix-screen-');
    const path = join(dir, 'data.jsonl');
    writeFileSync(path, lines(dataset(VARIANTS[0]!, 0, TOTAL, 3)));
    const run = await sampleDataset(path, { screen: true });
    expect(run.screened!.count).toBeLessThan(0.05 * TOTAL);
    const report = analyzeScreened('openai-chat', run.sample, run.screened, run.records);
    expect(report.verdict, report.reason).toBe('none');
  });
  it("a split upload: plan screens every shard's records, and rows placed outside each shard's sample are found", async () => {
    const variant = VARIANTS.find((v) => v.name.startsWith('Walnut53: substitution'))!;
    const dir = tempDir('safemix-screen-');
    const per = TOTAL / 2;
    const encoded = dataset(variant, 1, Math.round(TOTAL * 0.02), 5);
    const paths: string[] = [];
    let placed = 0;
    for (const shard of [0, 1]) {
      const path = join(dir, `part-${shard}.jsonl`);
      const plain = dataset(variant, 0, per, 11 + shard);
      writeFileSync(path, lines(plain));
      // the uploader's computation: the records each shard's reservoir takes (seed "safemix:shard-N")
      const { sample } = await sampleDataset(path, { seed: `safemix:shard-${shard}` });
      const sampled = new Set(sample.map((r) => r.index));
      const rows = [...plain];
      for (let i = 0, n = 0; i < per && n < encoded.length / 2; i += 3) if (!sampled.has(i)) ((rows[i] = encoded[placed++]!), n++);
      writeFileSync(path, lines(rows));
      paths.push(path);
    }
    expect(placed).toBe(encoded.length);
    const result = await planShards(paths, { output: join(dir, 'plan.json'), onEncoded: 'warn', jobs: 1 });
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { encoding: { verdict: string; report: { reason: string } } };
    expect(plan.encoding.verdict, plan.encoding.report.reason).toBe('encoded');
    expect(plan.encoding.report.reason).toMatch(/screen of every record/);
    expect(result).toBeDefined();
    // by default (--on-encoded fail) the plan is refused, as mix refuses
    await expect(planShards(paths, { output: join(dir, 'plan-2.json'), jobs: 1 })).rejects.toMatchObject({ code: 'encoded_data' });
  });
});
