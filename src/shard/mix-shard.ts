// `safemix mix-shard PLAN.json --shard i -o OUT`: one shard's mix, a pure function of (plan, shard).
// The profile, donors, largest ids, encoding verdict, k and random streams all come from the plan,
// so one streaming pass copies the shard's records byte for byte and places its k safety records;
// the output is byte-identical on any machine, by any worker, in any order. A shard whose size or
// sha256 differs from the plan's is refused, and nothing is written (output and manifest are atomic).
import { progressGate } from '../progress-gate.js';
import { buildManifest } from '../api/manifest-build.js';
import { writeBlended } from '../write/blended-pass.js';
import { DiscardSink } from '../write/discard-sink.js';
import type { Profile } from '../profile/profile.js';
import { decideAnswerSlot, parseClosedAnswers } from '../generate/answer-policy.js';
import { manifestProfile, writeManifest } from '../write/manifest-file.js';
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { SafemixError, isSafemixError } from '../errors.js';
import { BlendPlan } from '../blend/plan.js';
import { SafetyPlanner, recordEntry } from '../generate/planner.js';
import type { Seed } from '../generate/seeds.js';
import type { EncodingReport } from '../encoding/index.js';
import { mimicScheme } from '../api/encoding-check.js';
import { serializerFor } from '../write/serializer.js';
import { AtomicFile, commitTogether, completeInterruptedCommit } from '../write/atomic-file.js';
import { writeError } from '../io/io-error.js';
import { assertUnchanged, checkTargets, fingerprint } from '../write/targets.js';
import { RecordSink } from '../write/record-sink.js';
import { checkOutputFormat, ParquetSink } from '../write/parquet-sink.js';
import { openScan } from '../api/scan.js';
import { TOOL } from '../package-root.js';
import { loadPlan, planIdMax, planProfile, sha256Hex, uploadAudit } from './plan.js';
import type { PlanShard } from '../schemas/plan.js';
import type { ShardManifest } from '../schemas/shard-manifest.js';

export interface MixShardOptions {
  output: string;
  /** Manifest path; default `OUTPUT.manifest.json`; `false` for none. */
  manifest?: string | false;
  /** The shard's path, when it is not where the plan says (another mount point). */
  input?: string;
  onProgress?: (bytesRead: number, size: number | undefined) => void;
  /** Write into a directory other users may write to. */
  allowSharedDir?: boolean;
  /** Mix and write nothing: the manifest is the one a run would write (see mix --dry-run). */
  dryRun?: boolean;
}

export interface MixShardResult {
  manifest: ShardManifest;
  manifestPath?: string;
  /** The plan's profile of the upload. */
  profile: Profile;
  /** The first generated records as written (for a summary). */
  examples: { index: number; text: string }[];
}

function mismatch(shard: PlanShard, file: string, what: string): SafemixError {
  return new SafemixError('shard_mismatch', `shard ${shard.index} is not the file the plan was made from: ${what}; nothing was written`, {
    position: { file },
    hint: 'the shard changed after `safemix plan` (or another file was given): restore it, or make the plan again over the shards as they are now',
  });
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function mixShard(planPath: string, index: number, options: MixShardOptions): Promise<MixShardResult> {
  const { plan, sha256: planSha } = loadPlan(planPath);
  if (!Number.isInteger(index) || index < 0 || index >= plan.shards.length)
    throw new SafemixError('usage', `--shard ${index} is not in the plan, which has ${plan.shards.length} shard(s) (0 to ${plan.shards.length - 1})`, {
      position: { file: planPath },
      hint: `give --shard 0 to ${plan.shards.length - 1}`,
    });
  const shard = plan.shards[index]!;
  const path = options.input ?? resolve(dirname(planPath), shard.path);
  const file = options.input ?? shard.name;
  // the cheap refusal first: a shard of another size is another file
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SafemixError(code === 'ENOENT' ? 'input_missing' : 'input_unreadable', `cannot read shard ${index} (${code ?? (e as Error).message})`, {
      position: { file: path },
      hint: 'the shards must be on storage this worker sees at the path the plan names (relative to the plan), or give --input',
    });
  }
  if (size !== shard.bytes) throw mismatch(shard, file, `it holds ${size} bytes, the plan's shard ${shard.bytes}`);
  const manifestPath = options.manifest === false || options.output === '-' ? undefined : (options.manifest ?? `${options.output}.manifest.json`);
  if (options.output === '-') throw new SafemixError('usage', 'mix-shard writes a file', { hint: 'give -o OUT' });
  checkOutputFormat(shard.container, options.output, file);
  const modes = checkTargets({
    inputs: [
      { path, role: 'shard' },
      { path: planPath, role: 'plan' },
      // every other shard of the plan too: another worker reads it
      ...plan.shards.filter((s) => s.index !== index).map((s) => ({ path: resolve(dirname(planPath), s.path), role: `shard ${s.index} of the plan` })),
    ],
    outputs: [{ path: options.output, role: 'output', flag: '-o' }, ...(manifestPath ? [{ path: manifestPath, role: 'manifest', flag: '--manifest' }] : [])],
    allowSharedDir: options.allowSharedDir,
  });
  // a commit a killed run left half done (new manifest, old output) is finished first
  if (manifestPath && !options.dryRun) completeInterruptedCommit(options.output, manifestPath);
  const before = fingerprint(path, file);

  // everything decided at plan time, recomputed exactly
  const { donors, profile, profileJson } = planProfile(plan);
  if (sha256Hex(profileJson) !== plan.profileSha256)
    throw new SafemixError('plan_invalid', "this safemix does not reproduce the profile recorded in the plan, so its output would differ from other workers'", {
      position: { file: planPath },
      hint: 'run every worker with the same safemix version and Node.js major version as `safemix plan`',
    });
  // the same rule as the plan's (and mix's): the scheme the encoded twins are written in, if any
  const scheme = mimicScheme(plan.encoding.report as unknown as EncodingReport, plan.encoding.policy);
  const lang = plan.options.lang ?? (scheme ? 'en' : undefined);
  const safety = plan.safety.seeds as Seed[] | undefined;
  // the closed-label answer as the plan decided it (a declined upload has no plan)
  const closed = decideAnswerSlot(
    profile,
    donors.map((d) => d.value),
    parseClosedAnswers(plan.options.closedAnswers),
  );
  const labelAnswer = closed.kind === 'label' ? closed.value : undefined;
  const total = shard.injected;
  // every generated record is held to the user records' form, as mix holds it
  const audit = total > 0 ? uploadAudit(profile, closed, !!scheme, donors, plan.options.audit) : undefined;
  const balanceCount = shard.balance ?? 0;
  const planner =
    total > 0
      ? new SafetyPlanner(profile, donors, planIdMax(plan), shard.container, {
          seed: plan.seed,
          inputSha: plan.upload.sha256,
          stream: shard.stream,
          ordinalOffset: shard.ordinalOffset,
          lang,
          safety,
          scheme,
          file,
          labelAnswer,
          unanswerable: closed.kind === 'unanswerable',
          audit,
        })
      : undefined;
  planner?.setBalance({ safety: total, balance: balanceCount });
  const donorShard = new Map(donors.map((d) => [d.index, d.shard]));
  // generated records follow this shard's own style (else its container's, else the upload's)
  const own = donors.filter((d) => d.shard === index);
  const same = donors.filter((d) => plan.shards[d.shard]!.container === shard.container);
  const serialize = serializerFor(shard.container, own.length ? own : same.length ? same : donors, {
    elementIndent: shard.layout.elementIndent,
    columns: shard.csv?.columns ?? [],
    delimiter: shard.csv?.delimiter,
    inheritedKeys: shard.layout.inheritedKeys,
  });
  const layout = { prefix: Buffer.from(shard.layout.prefix, 'base64'), separator: Buffer.from(shard.layout.separator, 'base64') };

  const out = options.dryRun ? new DiscardSink() : new AtomicFile(options.output, { ...modes.fileOptions(options.output), makeDirs: true });
  let manifestFile: AtomicFile | undefined;
  const examples: MixShardResult['examples'] = [];
  const injected: ShardManifest['injected'] = [];
  const balanceRecords: ShardManifest['injected'] = [];
  let outputIndex = 0;
  try {
    const pass = await openScan(path, {
      displayName: file,
      maxRecordBytes: plan.options.maxRecordBytes,
      container: shard.container,
      recordPath: shard.layout.recordPath,
      format: plan.dialect,
      header: shard.csv?.header,
      delimiter: shard.csv?.delimiter,
      parse: false,
      hash: true,
      reuseBlocks: true,
    });
    let seen: number;
    const rejectedAt = new Set(shard.rejected.map((r) => r.index));
    // a Parquet shard is written row by row in its own schema (write/parquet-sink.ts)
    const sink = shard.container === 'parquet' ? new ParquetSink(out, pass.reader.parquet!, file, TOOL) : new RecordSink(out, layout);
    const blend = new BlendPlan(shard.usable, total + balanceCount, plan.order, shard.stream);
    const writeInjected = () => {
      const r = planner!.next();
      const bytes = serialize(r.value);
      sink.writeGenerated(bytes);
      if (examples.length < 3 && !r.balance) examples.push({ index: outputIndex, text: bytes.toString() });
      const { seedId, category, donor, ...rest } = recordEntry(r);
      (r.balance ? balanceRecords : injected).push({ index: outputIndex, seedId, category, donor, donorShard: donorShard.get(r.donor) ?? 0, ...rest });
      outputIndex++;
    };
    const due = progressGate();
    seen = await writeBlended({
      path,
      file,
      batches: pass.batches,
      sink,
      plan: blend,
      order: plan.order,
      stream: shard.stream,
      rejectedAt,
      planned: total + balanceCount,
      written: () => injected.length + balanceRecords.length,
      writeInjected,
      userWritten: () => void outputIndex++,
      pause: 'mix-shard',
      progress: (n) => {
        if (options.onProgress && due(n)) {
          options.onProgress(pass.reader.bytesRead, pass.reader.size);
        }
      },
      afterScan: (n) => {
        if (pass.reader.sha256() !== shard.sha256 || n !== shard.records) throw mismatch(shard, file, "its bytes differ from the plan's sha256");
      },
    });
    options.onProgress?.(shard.bytes, shard.bytes);
    sink.end(Buffer.from(shard.layout.suffix, 'base64'));
    // the shard read is the shard planned: same bytes, same records, unchanged meanwhile
    if (pass.reader.sha256() !== shard.sha256) throw mismatch(shard, file, `its sha256 is ${pass.reader.sha256()}, the plan's ${shard.sha256}`);
    if (seen !== shard.records) throw mismatch(shard, file, `it holds ${seen} records, the plan's shard ${shard.records}`);
    assertUnchanged(path, file, before, 'while it was mixed');
    const drawn = planner?.drawn ?? { categories: {}, languages: {}, languageFallbacks: 0 };
    const langs = Object.entries(drawn.languages)
      .map(([l, n]) => `${l} ${n}`)
      .join(', ');
    const manifest: ShardManifest = {
      ...buildManifest({
        input: { path: file, sha256: shard.sha256, bytes: shard.bytes, records: shard.records },
        output: { path: options.output, sha256: out.sha256(), bytes: out.bytesWritten, records: outputIndex },
        container: shard.container,
        dialect: plan.dialect,
        seed: plan.seed,
        ratio: plan.ratio,
        count: total,
        order: plan.order,
        engine: 'render',
        safetySource: {
          kind: plan.safety.kind,
          ...(plan.safety.path ? { path: plan.safety.path } : {}),
          requests: plan.safety.requests,
          split: plan.safety.split,
        },
        profile: manifestProfile(profile, donors.length),
        notes: [...plan.notes, ...(langs ? [`languages of this shard's safety records: ${langs}`] : [])],
        drawn,
        userRecords: shard.usable,
        injected,
        balance: plan.balance
          ? { share: plan.balance.share, count: balanceCount, skipped: plan.balance.skipped, drawn: planner?.drawnBalance, records: balanceRecords }
          : undefined,
        rejected: shard.rejected,
        encoding: { verdict: plan.encoding.verdict, summary: plan.encoding.summary, policy: plan.encoding.policy },
        audit: audit?.summary(),
      }),
      shard: {
        index,
        of: plan.shards.length,
        planSha256: planSha,
        uploadSha256: plan.upload.sha256,
        k: shard.k,
        ordinalOffset: shard.ordinalOffset,
        stream: shard.stream,
      },
    };
    if (out instanceof DiscardSink) {
      manifest.notes.push(`dry run: nothing was written; ${options.output} would hold ${outputIndex} records (sha256 ${manifest.output.sha256.slice(0, 12)}…)`);
      return { manifest, profile, examples };
    }
    if (manifestPath) {
      manifestFile = new AtomicFile(manifestPath, { ...modes.fileOptions(manifestPath), makeDirs: true });
      writeManifest(manifestFile, manifest);
    }
    commitTogether([...(manifestFile ? [manifestFile] : []), out]);
    return { manifest, manifestPath, profile, examples };
  } catch (e) {
    if (out instanceof AtomicFile) out.abort();
    manifestFile?.abort();
    // a shard that changed can fail in many ways (framing, counts): say what really happened
    const writeSide = isSafemixError(e) && ['output_failed', 'disk_full', 'output_not_regular', 'input_is_output', 'shard_mismatch'].includes(e.code);
    if (!writeSide) {
      let now: string | undefined;
      try {
        now = await fileSha256(path);
      } catch {
        now = undefined;
      }
      if (now !== shard.sha256) {
        const err = mismatch(shard, file, now ? `its sha256 is ${now}, the plan's ${shard.sha256}` : 'it can no longer be read');
        throw err;
      }
    }
    throw writeError(e, options.output);
  }
}
