// Issue 2 acceptance on the real corpus: detection, record counts, byte-exact round trip, validate.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { copyDataset } from '../src/api/copy.js';
import { validateFile } from '../src/api/validate.js';
import { ValidationReportSchema } from '../src/schemas/validation-report.js';
import { openScan } from '../src/api/scan.js';
import { CORPUS_FILES, corpus, runCli, sha256, tempDir } from './helpers.js';

describe('corpus: container, dialect and record count', () => {
  for (const c of CORPUS_FILES) {
    it(`${c.file} is ${c.container}/${c.dialect} with ${c.records} records`, async () => {
      expect(sha256(corpus(c.file)).slice(0, 16)).toBe(c.sha16);
      const scan = await openScan(corpus(c.file));
      let n = 0;
      for await (const r of scan.records) {
        expect(r.problem).toBeUndefined();
        n++;
      }
      expect(scan.reader.container).toBe(c.container);
      expect(scan.detection.dialect).toBe(c.dialect);
      expect(scan.detection.confidence).toBe(1);
      expect(n).toBe(c.records);
    });
  }
});

describe('corpus: read then write with nothing added is byte-identical', () => {
  const dir = tempDir();
  for (const c of CORPUS_FILES) {
    it(c.file, async () => {
      const out = join(dir, c.file);
      const result = await copyDataset(corpus(c.file), out);
      expect(result.records).toBe(c.records);
      expect(sha256(out)).toBe(sha256(corpus(c.file)));
    });
  }
});

describe('corpus: validate', () => {
  for (const c of CORPUS_FILES) {
    it(`${c.file} is valid`, async () => {
      const report = ValidationReportSchema.parse(await validateFile(corpus(c.file)));
      expect(report).toMatchObject({ container: c.container, dialect: c.dialect, records: c.records, validRecords: c.records, errorCount: 0, valid: true });
      expect(report.tokens.counted).toBeGreaterThan(0);
      expect(report.tokens.p50).toBeGreaterThan(0);
      expect(report.tokens.p50).toBeLessThanOrEqual(report.tokens.p90);
    });
  }

  it('the CLI exits 0 with a one-screen summary, and --json follows the schema', async () => {
    const human = await runCli(['validate', corpus('chat_openai_travel_finetune_hotel.jsonl')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/dialect\s+openai-chat/);
    expect(human.stdout).toMatch(/records\s+10 \(10 valid\)/);
    expect(human.stdout).toMatch(/p50 \d+, p90 \d+, p99 \d+/);
    expect(human.stdout.split('\n').length).toBeLessThan(25);
    const json = await runCli(['validate', '--json', corpus('intent_banking77_test.csv')]);
    expect(json.code).toBe(0);
    const report = ValidationReportSchema.parse(JSON.parse(json.stdout));
    expect(report).toMatchObject({ container: 'csv', dialect: 'fields', records: 3080 });
  });
});
