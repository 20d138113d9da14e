// The donor sample of a sharded upload: each shard's reservoir sample, merged into one uniform sample
// of the whole upload, written into the plan as raw bytes and read back into the exact values the
// profiler and the planner saw. Pure given its random seed.
import seedrandom from 'seedrandom';
import { mayHoldUnsafeNumber, preciseValue } from '../profile/precise-values.js';
import type { Container } from '../read/types.js';
import type { SampledRecord } from '../api/sample.js';
import type { PlanDonor } from '../schemas/plan.js';

/** A record of one shard's reservoir, as a scan hands it over (shard-local index). */
interface ShardSampleRecord {
  index: number;
  line: number;
  raw: Buffer;
  cells?: Record<string, string>;
  /** A nested record's fields from the objects around it. */
  inherited?: Record<string, unknown>;
}

/** A donor with its place in the upload: `index` is global (what the profiler and planner see). */
export interface UploadDonor extends SampledRecord {
  shard: number;
  local: number;
}

const isDelimited = (c: Container) => c === 'csv' || c === 'tsv';

/**
 * The parsed value of a sampled record from its bytes: JSON as the reader parses it (integers past
 * 2^53 kept exact, as the single-file sample keeps them), CSV/TSV rows from their cells.
 */
function donorValue(raw: Buffer, container: Container, cells: Record<string, string> | undefined, inherited?: Record<string, unknown>): unknown {
  if (isDelimited(container)) {
    if (!cells) throw new Error('a CSV/TSV donor needs its cells');
    return { ...cells };
  }
  const value = mayHoldUnsafeNumber(raw) ? preciseValue(raw) : JSON.parse(raw.toString('utf8'));
  // a nested record's fields from the objects around it (its own fields win), as the reader gives them
  if (inherited && value !== null && typeof value === 'object' && !Array.isArray(value))
    for (const [k, v] of Object.entries(inherited)) if (!(k in value)) (value as Record<string, unknown>)[k] = v;
  return value;
}

/**
 * Merges per-shard uniform samples into one uniform sample of `size` records of the whole upload:
 * how many come from each shard follows the multivariate hypergeometric law (drawing `size` records
 * without replacement from all usable records), and each shard's share is a uniform subset of its
 * own reservoir. Returns, per shard, the positions kept in that shard's sample (ascending).
 */
export function mergeSamples(shards: { usable: number; sampled: number }[], size: number, seed: string): number[][] {
  const random = seedrandom(`merge:${seed}`);
  const remaining = shards.map((s) => s.usable);
  let left = remaining.reduce((a, b) => a + b, 0);
  const taken = shards.map(() => 0);
  for (let t = 0; t < size && left > 0; t++) {
    let u = Math.floor(random() * left);
    let i = 0;
    while (u >= remaining[i]!) u -= remaining[i++]!;
    taken[i]!++;
    remaining[i]!--;
    left--;
  }
  return shards.map((s, i) => {
    if (taken[i]! > s.sampled) throw new Error(`shard ${i}: its reservoir holds ${s.sampled} records, ${taken[i]} asked`);
    // a uniform subset of a uniform sample: a partial Fisher-Yates shuffle of the positions
    const pos = Array.from({ length: s.sampled }, (_, j) => j);
    for (let j = 0; j < taken[i]!; j++) {
      const r = j + Math.floor(random() * (pos.length - j));
      [pos[j], pos[r]] = [pos[r]!, pos[j]!];
    }
    return pos.slice(0, taken[i]).sort((a, b) => a - b);
  });
}

/** The plan's form of a donor. */
export function toPlanDonor(shard: number, recordOffset: number, r: ShardSampleRecord): PlanDonor {
  return {
    shard,
    index: r.index,
    global: recordOffset + r.index,
    line: r.line,
    raw: r.raw.toString('base64'),
    ...(r.cells ? { cells: r.cells } : {}),
    ...(r.inherited ? { inherited: r.inherited } : {}),
  };
}

/** The plan's donors as the profiler and planner take them (global indices, parsed values). */
export function fromPlanDonors(donors: PlanDonor[], containerOf: (shard: number) => Container): UploadDonor[] {
  return donors.map((d) => {
    const raw = Buffer.from(d.raw, 'base64');
    return { index: d.global, line: d.line, raw, value: donorValue(raw, containerOf(d.shard), d.cells, d.inherited), shard: d.shard, local: d.index };
  });
}
