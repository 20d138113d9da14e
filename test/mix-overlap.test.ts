// mix's covert-encoding analysis beside pass 2 (MixOptions.overlapCheck): pass 2 writes as if the
// data were plain while a worker thread analyses, and the output lands only on a `none` verdict.
// Whatever the verdict (plain, suspicious, encoded under fail, warn and mimic), the run gives what
// the run that analyses first gives: the same output bytes, the same manifest, the same error and no
// output file.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mixFile, type MixOptions } from '../src/api/mix.js';
import { offThreadAnalyses } from '../src/api/encoding-screened.js';
import { VARIANTS } from './encoding/independent/encoders.js';
import { dataset } from './encoding/independent/fixtures.js';
import { corpus, tempDir } from './helpers.js';

const dir = tempDir('safemix-overlap-');

/** One run: its output and manifest bytes (or its error), and the order of its progress phases. */
async function run(input: string, overlapCheck: boolean, options: Partial<MixOptions>) {
  // a directory of its own a test (both runs of a test write the same names, so their manifests can be compared)
  const into = join(dir, expect.getState().currentTestName!.replace(/\W+/g, '-'));
  mkdirSync(into, { recursive: true });
  const output = join(into, 'out.jsonl');
  const manifest = join(into, 'out.manifest.json');
  const phases: string[] = [];
  const onProgress = (phase: string) => {
    if (phases.at(-1) !== phase) phases.push(phase);
  };
  try {
    await mixFile(input, { output, manifest, ratio: 0.05, seed: '7', overlapCheck, onProgress, ...options });
    return { output: readFileSync(output, 'utf8'), manifest: readFileSync(manifest, 'utf8'), phases };
  } catch (e) {
    const error = e as { code?: string; message: string };
    return { error: `${error.code}: ${error.message}`, outputExists: existsSync(output) || existsSync(manifest), phases };
  }
}

/** The run both ways; returns the run beside pass 2. */
async function same(input: string, options: Partial<MixOptions> = {}) {
  const first = await run(input, false, options);
  const before = { ...offThreadAnalyses };
  const beside = await run(input, true, options);
  // the analysis ran on the worker (not here after the worker failed)
  expect(offThreadAnalyses).toEqual({ onWorker: before.onWorker + 1, here: before.here });
  // analysed first, the check ends before pass 2 begins (or the run ends at the check); beside it,
  // pass 2 begins before the check ends
  expect(first.phases.slice(first.phases.indexOf('check') + 1)).not.toContain('check');
  expect(beside.phases.indexOf('write')).toBeGreaterThan(beside.phases.indexOf('check'));
  expect(beside.phases.lastIndexOf('check')).toBeGreaterThan(beside.phases.indexOf('write'));
  expect({ ...beside, phases: undefined }).toEqual({ ...first, phases: undefined });
  return beside;
}

function encodedFile(name: string): string {
  const variant = VARIANTS.find((v) => v.name.startsWith('Walnut53: substitution'))!;
  const rows = dataset(variant, 0.05, 1000, 11);
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r.value)).join('\n') + '\n');
  return path;
}

describe('the covert-encoding analysis beside pass 2', () => {
  it('plain data: the same output and manifest', async () => {
    const r = await same(corpus('chat_openai_travel_finetune_hotel.jsonl'));
    expect(JSON.parse((r as { manifest: string }).manifest).encoding.verdict).toBe('none');
  });

  it('suspicious data (verse and dialogue, a few unproven line words): written again from the verdict, the same as analysed first', async () => {
    const r = await same(corpus('multiline/fortunes_en.jsonl'));
    expect(JSON.parse((r as { manifest: string }).manifest).encoding.verdict).toBe('suspicious');
  });

  it('encoded data, the default policy: the same refusal, and no output', async () => {
    const r = await same(encodedFile('walnut-fail.jsonl'));
    expect(r).toMatchObject({ outputExists: false });
    expect((r as { error: string }).error).toMatch(/^encoded_data: the data carries a covert encoding/);
  });

  it('encoded data under warn and mimic: the same output and manifest', async () => {
    const path = encodedFile('walnut-mix.jsonl');
    for (const onEncoded of ['warn', 'mimic'] as const) {
      const r = await same(path, { onEncoded });
      expect(JSON.parse((r as { manifest: string }).manifest).encoding.verdict).toBe('encoded');
    }
  });
});
