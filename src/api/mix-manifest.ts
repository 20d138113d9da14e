// The manifest of a mix run, and its path: what the run read (the input's hash and size, the profile),
// decided (k, the order, the engine, the policies) and wrote (the output's hash, every added record).
import { recordedRatio } from './mix-options.js';
import { buildManifest } from './manifest-build.js';
import { manifestProfile } from '../write/manifest-file.js';
import { trainSeeds } from '../generate/seeds.js';
import type { Manifest } from '../schemas/manifest.js';
import { describeEncoding } from './encoding-check.js';
import { mixNotes } from './mix-notes.js';
import type { AddedRecords } from './mix-added.js';
import type { AddedPlan } from './mix-plan.js';
import type { FirstPass } from './mix-pass1.js';
import type { OutputSink } from './mix-pass2.js';
import type { MixOptions, MixRun } from './mix-types.js';

/** The manifest's path: `--manifest`, else `OUTPUT.manifest.json`; none for `--no-manifest` or stdout. */
export function manifestPathOf(options: MixOptions): string | undefined {
  if (options.manifest === false || (options.output === '-' && !options.manifest)) return undefined;
  return options.manifest || `${options.output}.manifest.json`;
}

/** What the run wrote, for its manifest: the output sink, the added records, the records written in all. */
interface Written {
  out: OutputSink;
  added: AddedRecords;
  records: number;
  /** The output a killed run had left behind its manifest, put in place before this run. */
  recovered: string | undefined;
}

export function mixManifest({ displayName, options, choices }: MixRun, first: FirstPass, plan: AddedPlan, written: Written): Manifest {
  const { seed, order } = choices;
  const { scan, sample, records, rejected, usable, encoding, profile, total, inputSha, inputBytes } = first;
  const { planner, paraphrase, balance, safety, audit, engine } = plan;
  const { out, added } = written;
  const policy = choices.onEncoded;
  const notes = mixNotes(first, plan, options.output, written.recovered);
  return buildManifest({
    input: { path: displayName, sha256: inputSha, bytes: inputBytes, records },
    output: { path: options.output === '-' ? '<stdout>' : options.output, sha256: out.sha256(), bytes: out.bytesWritten, records: written.records },
    container: scan.reader.container,
    recordPath: scan.reader.layout.recordPath,
    dialect: scan.detection.dialect,
    seed,
    ratio: recordedRatio(choices),
    count: total,
    order,
    engine,
    paraphrase: paraphrase?.report,
    safetySource: safety
      ? { kind: 'file', path: options.safety!.path, requests: safety.length, split: 'all' }
      : { kind: 'builtin', requests: trainSeeds().length, split: 'train' },
    profile: manifestProfile(profile, sample.length),
    notes,
    drawn: planner?.drawn,
    userRecords: usable,
    injected: added.injected,
    balance:
      balance.share > 0 && total > 0
        ? {
            share: balance.share,
            count: balance.count,
            skipped: 'skipped' in balance ? balance.skipped : undefined,
            drawn: planner?.drawnBalance,
            records: added.balanceRecords,
          }
        : undefined,
    rejected,
    encoding: { verdict: encoding.verdict, summary: describeEncoding(encoding), policy },
    audit: audit?.summary(),
  });
}
