// Runs one placement cell of issue 32's acceptance: a 1,000-record chat file from the independent
// fixtures, its records padded to one size (JSON white space after the record) so that the default
// sample's byte bound keeps only part of the file, the encoded rows placed outside the default sample
// (which an uploader can compute: it depends on the record count and sizes) or at random, read the
// way mix reads it (the pass-1 sample with the screen of every record) and judged with the screen.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleDataset, SAMPLE_MAX_BYTES } from '../../src/api/sample.js';
import { analyzeScreened } from '../../src/api/encoding-screened.js';
import { rng, type Variant } from './independent/encoders.js';
import { dataset, type Layout, type Row } from './independent/fixtures.js';
import { keyMatches } from './recall-run.js';
import { tempDir } from '../helpers.js';

const TOTAL = 1000;
export const SHARES = [0.01, 0.02, 0.05];
export type Placement = 'outside the sample' | 'at random';

interface PlacementCell {
  share: number;
  placement: Placement;
  verdict: string;
  /** Encoded rows flagged / encoded rows. */
  found: number;
  encoded: number;
  falseAlarms: number;
  sampled: number;
  exactKey?: boolean;
}

const dir = tempDir('safemix-placement-');
/** The default sample's records for a file of TOTAL records of `size` bytes each (the uploader's computation). */
const samples = new Map<number, Promise<Set<number>>>();

function padded(rows: { value: unknown }[], size: number): string {
  return (
    rows
      .map((r) => {
        const line = JSON.stringify(r.value);
        return line + ' '.repeat(size - Buffer.byteLength(line));
      })
      .join('\n') + '\n'
  );
}

/** One record size for every cell of a variant: room for its longest row, and a sample that leaves 5% of the rows outside it. */
function recordSize(rows: Row[]): number {
  const longest = Math.max(...rows.map((r) => Buffer.byteLength(JSON.stringify(r.value))));
  const leaving = Math.ceil(SAMPLE_MAX_BYTES / (TOTAL * 0.9));
  const size = Math.max(longest, leaving);
  return Math.ceil(size / 4096) * 4096;
}

function defaultSample(size: number): Promise<Set<number>> {
  let s = samples.get(size);
  if (!s) {
    const path = join(dir, `plain-${size}.jsonl`);
    writeFileSync(
      path,
      padded(
        Array.from({ length: TOTAL }, () => ({ value: { messages: [] } })),
        size,
      ),
    );
    s = sampleDataset(path, { threads: 0 }).then((r) => new Set(r.sample.map((x) => x.index)));
    samples.set(size, s);
  }
  return s;
}

export async function runPlacement(v: Variant, share: number, placement: Placement, layout: Layout, size: number): Promise<PlacementCell> {
  const rows = dataset(v, share, TOTAL, 1, layout);
  const encoded = rows.filter((r) => r.encoded);
  const plain = rows.filter((r) => !r.encoded);
  const sampled = await defaultSample(size);
  const random = rng(Math.round(share * 1000) + 17);
  const free = [...Array(TOTAL).keys()].filter((i) => placement === 'at random' || !sampled.has(i));
  // spread evenly over the free places (outside the sample), or drawn at random from all of them
  const at = new Set<number>();
  if (placement === 'at random') while (at.size < encoded.length) at.add(free[Math.floor(random() * free.length)]!);
  else for (let k = 0; k < encoded.length; k++) at.add(free[Math.floor((k * free.length) / encoded.length)]!);
  const placed: Row[] = [];
  for (let i = 0, e = 0, p = 0; i < TOTAL; i++) placed.push(at.has(i) ? encoded[e++]! : plain[p++]!);
  const path = join(dir, `cell.jsonl`);
  writeFileSync(path, padded(placed, size));
  const run = await sampleDataset(path, { screen: true, threads: 0 });
  // the records sampled are the ones the uploader computed: the placement holds
  expect(run.sample.map((r) => r.index)).toEqual([...sampled].sort((a, b) => a - b));
  const report = analyzeScreened('openai-chat', run.sample, run.screened, run.records);
  const flagged = new Set(report.findings.map((f) => f.record));
  const cell: PlacementCell = {
    share,
    placement,
    verdict: report.verdict,
    found: [...at].filter((i) => flagged.has(i)).length,
    encoded: encoded.length,
    falseAlarms: [...flagged].filter((i) => !at.has(i)).length,
    sampled: [...at].filter((i) => sampled.has(i)).length,
  };
  const exact = keyMatches(v, report);
  if (exact !== undefined) cell.exactKey = exact;
  return cell;
}

function cellText(c: PlacementCell): string {
  const key = c.exactKey === undefined ? '' : c.exactKey ? ', key ✓' : ', key ✗';
  return `${c.verdict} ${c.found}/${c.encoded}${key}${c.falseAlarms ? `, ${c.falseAlarms} false` : ''}`;
}

/**
 * One placement suite: a test per variant, each share in each placement, with the acceptance's checks:
 * `encoded` at 2% and above, the exact key at 2% and above where there is one, no plain row flagged.
 */
export function describePlacement(title: string, variants: Variant[], layout: Layout, shares: number[], placements: Placement[]): void {
  const lines: string[] = [];
  describe(title, () => {
    for (const v of variants) {
      it(`${v.family}: ${v.name}`, async () => {
        const size = recordSize(shares.flatMap((share) => dataset(v, share, TOTAL, 1, layout)));
        const cells: PlacementCell[] = [];
        for (const placement of placements) for (const share of shares) cells.push(await runPlacement(v, share, placement, layout, size));
        lines.push(`| ${v.family} | ${v.name} | ${cells.map(cellText).join(' | ')} |`);
        for (const c of cells) {
          const at = `${c.share * 100}% ${c.placement}`;
          if (c.placement === 'outside the sample') expect(c.sampled, `rows in the sample at ${at}`).toBe(0);
          expect(c.falseAlarms, `false alarms at ${at}`).toBe(0);
          if (c.share >= 0.02) expect(c.verdict, `verdict at ${at}`).toBe('encoded');
          if (c.share >= 0.02 && c.exactKey !== undefined) expect(c.exactKey, `exact key at ${at}`).toBe(true);
        }
      });
    }
    it('prints the table', () => {
      const heads = placements.flatMap((p) => shares.map((s) => `${s * 100}% ${p}`));
      console.log(['', `| family | variant | ${heads.join(' | ')} |`, `|---|---|${heads.map(() => '---').join('|')}|`, ...lines].join('\n'));
      expect(lines).toHaveLength(variants.length);
    });
  });
}
