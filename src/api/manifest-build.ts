// The manifest of a mix, built from what the run decided and wrote: one shape for mix, a multi-file
// mix's shards and mix-shard (which adds its `shard` block). Pure: the same facts give the same
// manifest; writing it is manifest-file.ts's job.
import type { Manifest } from '../schemas/manifest.js';
import { TOOL } from '../package-root.js';

type Drawn = Manifest['drawn'];
const NOTHING_DRAWN: Drawn = { categories: {}, languages: {}, languageFallbacks: 0 };

interface ManifestFacts<Entry> {
  input: Manifest['input'];
  output: Manifest['output'];
  container: Manifest['container'];
  recordPath?: string;
  dialect: Manifest['dialect'];
  seed: string;
  ratio: number | null;
  /** Safety records written (encoded twins included). */
  count: number;
  order: Manifest['order'];
  engine: Manifest['engine'];
  paraphrase?: Manifest['paraphrase'];
  safetySource: Manifest['safetySource'];
  profile: Manifest['profile'];
  notes: string[];
  drawn?: Drawn;
  userRecords: number;
  injected: Entry[];
  /** The balance examples, when the run has a balance share (listed apart). */
  balance?: { share: number; count: number; skipped?: string; drawn?: Drawn; records: Entry[] };
  rejected: Manifest['rejected'];
  encoding: Manifest['encoding'];
  audit?: Manifest['audit'];
}

export function buildManifest<Entry>(f: ManifestFacts<Entry>): Omit<Manifest, 'injected' | 'balanceRecords'> & { injected: Entry[]; balanceRecords?: Entry[] } {
  return {
    tool: TOOL,
    input: f.input,
    output: f.output,
    container: f.container,
    ...(f.recordPath ? { recordPath: f.recordPath } : {}),
    dialect: f.dialect,
    seed: f.seed,
    ratio: f.ratio,
    count: f.count,
    order: f.order,
    engine: f.engine,
    ...(f.paraphrase ? { paraphrase: f.paraphrase } : {}),
    safetySource: f.safetySource,
    profile: f.profile,
    notes: f.notes,
    drawn: f.drawn ?? NOTHING_DRAWN,
    userRecords: f.userRecords,
    injected: f.injected,
    ...(f.balance
      ? {
          balance: {
            share: f.balance.share,
            count: f.balance.count,
            ...(f.balance.skipped !== undefined ? { skipped: f.balance.skipped } : {}),
            drawn: f.balance.drawn ?? NOTHING_DRAWN,
          },
          balanceRecords: f.balance.records,
        }
      : {}),
    rejected: f.rejected,
    encoding: f.encoding,
    ...(f.audit ? { audit: f.audit } : {}),
  };
}
