// `safemix plan SHARD... -o PLAN.json`: one plan for an upload split into shards. One streaming pass
// per shard (in parallel child processes where cores allow) hashes, counts and checks its records
// and keeps a reservoir sample; the samples are merged into one uniform sample of the upload, which
// is profiled and analysed for covert encodings as a whole; the global k is fixed and split across
// the shards by largest remainder (splitInjected). Everything a shard's mix needs is in the plan, so
// `mix-shard` is a pure function of (plan, shard).
import { mixChoices, recordedRatio } from '../api/mix-options.js';
import { FormAudit, type AuditMode } from '../audit/form-audit.js';
import { auditExemptions } from '../generate/audit-exemptions.js';
import { unshippedDecline } from '../generate/language-policy.js';
import { closedAnswersText, decideAnswerSlot, parseClosedAnswers, type ClosedAnswerDecision, type ClosedAnswers } from '../generate/answer-policy.js';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { SafemixError, ExitCode } from '../errors.js';
import { buildProfile, type Profile } from '../profile/profile.js';
import type { DialectDetection } from '../profile/dialects.js';
import type { Container } from '../read/types.js';
import { injectedCount, splitInjected, type BlendOrder } from '../blend/plan.js';
import { SafetyPlanner } from '../generate/planner.js';
import { decideBalance } from '../generate/balance-policy.js';
import { trainSeeds, type Seed } from '../generate/seeds.js';
import { AtomicFile } from '../write/atomic-file.js';
import { checkTargets } from '../write/targets.js';
import { TOOL } from '../package-root.js';
import type { ScanOptions } from '../api/scan.js';
import { loadSafetySource, type SafetySourceOptions } from '../api/safety-source.js';
import { applyEncodingPolicy, describeEncoding, mimicScheme, plainRecords, skippedEncoding, type OnEncoded } from '../api/encoding-check.js';
import type { EncodingReport, Scheme } from '../encoding/index.js';
import { screenBytes } from '../encoding/screen.js';
import { analyzeScreenedFiles } from '../api/encoding-screened.js';
import { fromPlanDonors, mergeSamples, toPlanDonor, type UploadDonor } from './donors.js';
import { scanShard, type ShardScan } from './scan.js';
import { runChild } from './spawn.js';
import { PLAN_FORMAT, PLAN_VERSION, PlanSchema, type Plan, type PlanDonor, type PlanShard } from '../schemas/plan.js';

export interface PlanOptions extends ScanOptions {
  /** Write into a directory other users may write to. */
  allowSharedDir?: boolean;
  /** PLAN.json's path. */
  output: string;
  ratio?: number;
  count?: number;
  force?: boolean;
  seed?: string;
  order?: BlendOrder;
  sample?: number;
  input?: string;
  target?: string;
  context?: string[];
  metadata?: string[];
  lang?: string;
  /** The form audit's mode for every shard (default strict; see mix --audit). */
  audit?: AuditMode;
  closedAnswers?: ClosedAnswers;
  /** Balance examples as a share of k (default DEFAULT_BALANCE_SHARE; see generate/balance-policy.ts). */
  balance?: number;
  /** `en`: data in languages not shipped offline gets English safety records (else declined past 10%). */
  langFallback?: 'en';
  skipInvalid?: boolean;
  safety?: SafetySourceOptions;
  onEncoded?: OnEncoded;
  detectEncoding?: boolean;
  /** Shards scanned at once (default: the cores available, at most the shard count; 1 scans in this process). */
  jobs?: number;
  /** Bytes read so far over all shards, and their total size. */
  onProgress?: (bytesRead: number, size: number) => void;
}

export interface PlanResult {
  plan: Plan;
  path: string;
  /** sha256 of PLAN.json's bytes. */
  sha256: string;
}

const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
const family = (c: Container) => (c === 'csv' || c === 'tsv' ? 'delimited' : 'json');

/** The input content hash of an upload: sha256 of its shards' sha256 values, in plan order, one per line. */
export function uploadHash(shardShas: string[]): string {
  return createHash('sha256')
    .update(shardShas.map((s) => `${s}\n`).join(''))
    .digest('hex');
}

export function sha256Hex(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Reads and checks PLAN.json; its sha256 is what every shard manifest names. */
export function loadPlan(path: string): { plan: Plan; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SafemixError(code === 'ENOENT' ? 'input_missing' : 'input_unreadable', `cannot read the plan (${code ?? (e as Error).message})`, {
      position: { file: path },
      hint: 'give the PLAN.json that safemix plan wrote',
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new SafemixError('plan_invalid', `the plan is not valid JSON (${(e as Error).message})`, {
      position: { file: path },
      hint: 'give the PLAN.json that safemix plan wrote, unchanged',
    });
  }
  const parsed = PlanSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SafemixError('plan_invalid', `this is not a safemix plan: ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      position: { file: path, field: issue.path.join('.') || undefined },
      hint: 'give the PLAN.json that safemix plan wrote, unchanged',
    });
  }
  if (parsed.data.tool !== TOOL)
    throw new SafemixError('plan_invalid', `the plan was made by ${parsed.data.tool}, this is ${TOOL}`, {
      position: { file: path },
      hint: 'mix every shard with the safemix version that made the plan, or make the plan again',
    });
  return { plan: parsed.data, sha256: sha256Hex(bytes) };
}

/** The donors, detection and profile a plan stands for: computed the same way by `plan` and `mix-shard`. */
export function planProfile(plan: Pick<Plan, 'sample' | 'shards' | 'detection' | 'upload' | 'options'>): {
  donors: UploadDonor[];
  profile: Profile;
  profileJson: string;
} {
  const containers = plan.shards.map((s) => s.container);
  const donors = fromPlanDonors(plan.sample.records, (i) => containers[i]!);
  const detection: DialectDetection = { ...plan.detection, counts: {}, outliers: [] };
  const o = plan.options;
  const profile = buildProfile(donors, plan.upload.records, detection, containers[0]!, {
    seed: plan.sample.seed,
    input: o.input,
    target: o.target,
    context: o.context,
    metadata: o.metadata,
  });
  return { donors, profile, profileJson: JSON.stringify(profile) };
}

/** The form audit of an upload's generated records: the sample's donors' form, with the dataset's exemptions. */
export function uploadAudit(profile: Profile, closed: ClosedAnswerDecision, scheme: boolean, donors: readonly UploadDonor[], mode: AuditMode): FormAudit {
  const values = donors.map((d) => d.value);
  return new FormAudit(values, mode, auditExemptions(profile, closed, scheme, values));
}

/**
 * The name of a shard's random streams (donors, rendering, positions, shuffle). A one-shard upload is
 * a file: its stream is the one `mix` gives that file (`seed:sha256`), so the two give the same bytes;
 * a shard of a larger upload gets its own, named by the upload and its index.
 */
export function shardStream(seed: string, uploadSha: string, shardShas: string[], index: number): string {
  return shardShas.length === 1 ? `${seed}:${shardShas[0]}` : `${seed}:${uploadSha}:shard-${index}`;
}

/** The largest ids per field, as the planner takes them. */
export function planIdMax(plan: Pick<Plan, 'idMax'>): Map<string, number> {
  return new Map(Object.entries(plan.idMax).map(([k, v]) => [k, Number(v)]));
}

async function scanAll(paths: string[], options: PlanOptions, sample: number, seed: string): Promise<ShardScan[]> {
  const readOptions: ScanOptions = {
    format: options.format,
    container: options.container,
    header: options.header,
    delimiter: options.delimiter,
    maxRecordBytes: options.maxRecordBytes,
    recordPath: options.recordPath,
  };
  const sizes = paths.map((p) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  });
  const totalSize = sizes.reduce((a, b) => a + b, 0);
  const read = paths.map(() => 0);
  const progress = (i: number, bytes: number) => {
    read[i] = bytes;
    options.onProgress?.(
      read.reduce((a, b) => a + b, 0),
      totalSize,
    );
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), paths.length));
  // shards scanned side by side already keep the cores busy: each reads in one thread
  const scanOptions = { ...readOptions, sample, seed, screen: options.detectEncoding !== false, ...(jobs > 1 ? { threads: 0 } : {}) };
  if (jobs === 1) {
    const out: ShardScan[] = [];
    for (let i = 0; i < paths.length; i++) out.push(await scanShard(paths[i]!, i, scanOptions, (b) => progress(i, b)));
    options.onProgress?.(totalSize, totalSize);
    return out;
  }
  const out: ShardScan[] = new Array(paths.length);
  let next = 0;
  const running = new Set<{ stop(e: SafemixError): void }>();
  let failed: unknown;
  const lane = async () => {
    while (next < paths.length && failed === undefined) {
      const i = next++;
      const run = runChild<ShardScan>({ kind: 'scan-shard', path: paths[i]!, index: i, options: scanOptions }, { onProgress: (p) => progress(i, p.bytes) });
      running.add(run);
      try {
        out[i] = await run.done;
      } catch (e) {
        if (failed === undefined) {
          failed = e;
          // one shard failed: the others stop too
          for (const r of running) if (r !== run) r.stop(new SafemixError('interrupted', 'stopped because another shard failed'));
        }
      } finally {
        running.delete(run);
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  if (failed !== undefined) throw failed;
  options.onProgress?.(totalSize, totalSize);
  return out;
}

export async function planShards(paths: string[], options: PlanOptions): Promise<PlanResult> {
  if (paths.length === 0) throw new SafemixError('usage', 'no shard given', { hint: 'safemix plan SHARD... -o PLAN.json' });
  if (paths.includes('-'))
    throw new SafemixError('usage', 'a shard cannot be standard input', { hint: 'give the shards as files on storage every worker can read' });
  const choices = mixChoices(options);
  const { seed, sample, order } = choices;
  const policy = choices.onEncoded;
  // no shard twice, and the plan never over a shard
  const seen = new Map<string, string>();
  for (const p of paths) {
    const key = resolve(p);
    if (seen.has(key)) throw new SafemixError('usage', `the shard ${p} is given twice`, { position: { file: p }, hint: 'give each shard once' });
    seen.set(key, p);
  }
  const modes = checkTargets({
    inputs: paths.map((path) => ({ path, role: 'shard' })),
    outputs: [{ path: options.output, role: 'plan', flag: '-o' }],
    allowSharedDir: options.allowSharedDir,
  });

  const scans = await scanAll(paths, options, sample, seed);

  // one dialect and one kind of container for the whole upload
  const first = scans[0]!;
  const other = scans.find((s) => s.detection.dialect !== first.detection.dialect);
  if (other)
    throw new SafemixError(
      'dialect_mixed',
      `the shards are not all of one dialect: ${first.name} is ${first.detection.dialect}, ${other.name} is ${other.detection.dialect}`,
      {
        position: { file: other.name },
        hint: 'plan each dialect as its own upload, or force one with --format',
      },
    );
  const mixedFamily = scans.find((s) => family(s.container) !== family(first.container));
  if (mixedFamily)
    throw new SafemixError(
      'dialect_mixed',
      `the shards mix JSON and delimited containers: ${first.name} is ${first.container}, ${mixedFamily.name} is ${mixedFamily.container}`,
      {
        position: { file: mixedFamily.name },
        hint: 'JSONL and JSON-array shards can share a plan, and CSV/TSV shards with the same columns; plan the others as separate uploads',
      },
    );
  if (first.csv) {
    const cols = JSON.stringify(first.csv.columns);
    const differs = scans.find((s) => JSON.stringify(s.csv?.columns) !== cols);
    if (differs)
      throw new SafemixError(
        'dialect_mixed',
        `the shards have different columns: ${first.name} has ${first.csv.columns.join(', ')}, ${differs.name} has ${differs.csv?.columns.join(', ')}`,
        {
          position: { file: differs.name },
          hint: 'give every shard the same columns (and the same header row)',
        },
      );
  }
  const rejected = scans.flatMap((s) => s.rejected.map((r) => ({ ...r, shard: s })));
  if (rejected.length && !options.skipInvalid) {
    const r = rejected[0]!;
    throw new SafemixError('schema', `${rejected.length} record(s) cannot be used; the first: [${r.code}] ${r.message}`, {
      position: { file: r.shard.name, line: r.line, row: r.row, record: r.index, field: r.field || undefined },
      hint: 'fix them (safemix validate lists every one), or pass --skip-invalid to leave them out; they are then listed in the manifests',
      exitCode: ExitCode.invalid,
    });
  }

  // the donor sample: per-shard reservoirs merged into one uniform sample of the upload
  const usable = scans.map((s) => s.records - s.rejected.length);
  const offsets: number[] = [];
  let records = 0;
  for (const s of scans) {
    offsets.push(records);
    records += s.records;
  }
  const keep = mergeSamples(
    scans.map((s, i) => ({ usable: usable[i]!, sampled: s.sample.length })),
    sample,
    seed,
  );
  const donors: PlanDonor[] = [];
  scans.forEach((s, i) => {
    for (const pos of keep[i]!) {
      const r = s.sample[pos]!;
      donors.push(toPlanDonor(i, offsets[i]!, { index: r.index, line: r.line, raw: Buffer.from(r.raw, 'base64'), cells: r.cells, inherited: r.inherited }));
    }
  });
  const totalUsable = usable.reduce((a, b) => a + b, 0);
  const uploadSha = uploadHash(scans.map((s) => s.sha256));
  const idMax = new Map<string, number>();
  for (const s of scans) for (const [k, v] of s.idMax) idMax.set(k, Math.max(idMax.get(k) ?? -Infinity, Number(v)));
  const minConfidence = Math.min(...scans.map((s) => s.detection.confidence));
  const detection = {
    dialect: first.detection.dialect,
    confidence: minConfidence,
    evidence: scans.length === 1 ? first.detection.evidence : `${first.detection.evidence} (every one of ${scans.length} shards)`,
  };
  const planOptions: Plan['options'] = {
    sample,
    input: options.input,
    target: options.target,
    context: options.context ?? [],
    metadata: options.metadata ?? [],
    lang: options.lang,
    closedAnswers: closedAnswersText(choices.closedAnswers),
    skipInvalid: options.skipInvalid === true,
    force: options.force === true,
    onEncoded: policy,
    detectEncoding: options.detectEncoding !== false,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    audit: choices.audit,
  };
  const shardsBase = scans.map((s) => ({ container: s.container })) as PlanShard[];
  const dialect = first.detection.dialect;

  // covert encodings over the whole upload (issue 9's multi-file view: one verdict over every
  // shard's sampled records), before anything is planned; flagged records are never donors
  const all = fromPlanDonors(donors, (i) => scans[i]!.container);
  const encoding: EncodingReport = planOptions.detectEncoding
    ? analyzeScreenedFiles(
        scans.map((s, i) => {
          const sampled = all.filter((d) => d.shard === i);
          const taken = new Set(sampled.map((d) => d.local));
          const suspects = s.screened?.suspects ?? [];
          const extra = fromPlanDonors(
            suspects.filter((r) => !taken.has(r.index)).map((r) => toPlanDonor(i, offsets[i]!, { ...r, raw: Buffer.from(r.raw, 'base64') })),
            () => s.container,
          );
          // the screen is cheap to run again on the merged sample: the suspects inside it
          const inSample = sampled.filter((d) => screenBytes(d.raw) !== undefined).length;
          return { file: s.name, dialect, sample: sampled, extra, count: s.screened?.count ?? 0, inSample, records: s.records };
        }),
      )
    : skippedEncoding(all.length);
  const notes = applyEncodingPolicy(encoding, policy, paths.length === 1 ? first.name : `the upload (${paths.length} shards)`);
  const scheme: Scheme | undefined = mimicScheme(encoding, policy);
  const plain = new Set(
    scans.flatMap((_, i) =>
      plainRecords(
        all.filter((d) => d.shard === i),
        encoding,
        i,
      ).map((d) => d.index),
    ),
  );
  const sampleBlock = { seed, size: sample, records: donors.filter((d) => plain.has(d.global)) };
  const {
    donors: values,
    profile,
    profileJson,
  } = planProfile({
    sample: sampleBlock,
    shards: shardsBase,
    detection,
    upload: { sha256: uploadSha, shards: scans.length, records, usable: totalUsable, bytes: 0 },
    options: planOptions,
  });

  const closed = decideAnswerSlot(
    profile,
    values.map((d) => d.value),
    parseClosedAnswers(planOptions.closedAnswers),
  );
  const closedSkip = closed.kind === 'skip';
  const k = closedSkip ? 0 : injectedCount(totalUsable, { ratio: choices.ratio, count: choices.count, force: options.force, file: 'the upload' });
  if (k > 0 && closed.kind === 'decline')
    throw new SafemixError('declined_by_policy', closed.message, { position: { file: first.name }, hint: closed.hint, exitCode: ExitCode.declined });
  if (k > 0 && values.length === 0)
    throw new SafemixError('no_donor', 'the upload has no usable record to take the structure from', {
      position: { file: first.name },
      hint: 'give shards with at least one valid record',
    });
  if (closed.kind === 'skip' || closed.kind === 'refuse' || closed.kind === 'label' || closed.kind === 'unanswerable') notes.unshift(closed.note);

  const ks = splitInjected(k, usable);
  // balance examples where the answers take free text (the planner knows the JSON answers' shape)
  const safety: Seed[] | undefined = options.safety?.path ? await loadSafetySource(options.safety) : undefined;
  const lang = options.lang ?? (scheme ? 'en' : undefined);
  const total = scheme ? 2 * k : k;
  // the form audit mix-shard holds every record to, so a record no shard can make fails now
  const audit = total > 0 ? uploadAudit(profile, closed, !!scheme, values, planOptions.audit) : undefined;
  const planner =
    total > 0
      ? new SafetyPlanner(profile, values, idMax, first.container, {
          seed,
          inputSha: uploadSha,
          audit,
          stream: shardStream(
            seed,
            uploadSha,
            scans.map((s) => s.sha256),
            0,
          ),
          lang,
          safety,
          scheme,
          file: first.name,
          labelAnswer: closed.kind === 'label' ? closed.value : undefined,
          unanswerable: closed.kind === 'unanswerable',
        })
      : undefined;
  const balance = decideBalance(k, choices.balance, profile.answerSpace, {
    scheme: !!scheme,
    jsonTextKey: planner?.jsonTextKey,
    summary: planner?.summarises,
  });
  const bs = splitInjected(balance.count, usable);
  if ('skipped' in balance && total > 0) notes.push(balance.skipped);
  const planDir = dirname(resolve(options.output));
  let ordinal = 0;
  const shards: PlanShard[] = scans.map((s, i) => {
    const injected = scheme ? 2 * ks[i]! : ks[i]!;
    const abs = resolve(paths[i]!);
    const rel = relative(planDir, abs);
    const shard: PlanShard = {
      index: i,
      path: isAbsolute(rel) ? abs : rel,
      name: paths[i]!,
      sha256: s.sha256,
      bytes: s.bytes,
      records: s.records,
      usable: usable[i]!,
      recordOffset: offsets[i]!,
      container: s.container,
      ...(s.csv ? { csv: s.csv } : {}),
      layout: s.layout,
      rejected: s.rejected,
      k: ks[i]!,
      injected,
      balance: bs[i]!,
      ordinalOffset: ordinal,
      stream: shardStream(
        seed,
        uploadSha,
        scans.map((sc) => sc.sha256),
        i,
      ),
    };
    ordinal += injected + bs[i]!;
    return shard;
  });

  if (planner) {
    // every option the planner checks (a --lang not shipped, a structure no record can carry) fails now, not on a worker
    const declined = unshippedDecline(planner.unshippedLanguages(), { langFallback: options.langFallback }, first.name);
    if (declined) throw declined;
    planner.next();
  }

  const plan: Plan = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    tool: TOOL,
    seed,
    ratio: recordedRatio(choices),
    k,
    injected: total,
    ...(balance.share > 0 && total > 0
      ? { balance: { share: balance.share, count: balance.count, ...('skipped' in balance ? { skipped: balance.skipped } : {}) } }
      : {}),
    order,
    dialect: first.detection.dialect,
    detection,
    upload: { sha256: uploadSha, shards: scans.length, records, usable: totalUsable, bytes: scans.reduce((n, s) => n + s.bytes, 0) },
    options: planOptions,
    shards,
    idMax: Object.fromEntries([...idMax].map(([key, v]) => [key, String(v)])),
    sample: sampleBlock,
    profile: JSON.parse(profileJson) as Record<string, unknown>,
    profileSha256: sha256Hex(profileJson),
    encoding: {
      verdict: encoding.verdict,
      summary: describeEncoding(encoding),
      policy,
      report: JSON.parse(JSON.stringify(encoding)) as Record<string, unknown>,
    },
    safety: safety
      ? { kind: 'file', path: options.safety!.path, requests: safety.length, split: 'all', seeds: safety }
      : { kind: 'builtin', requests: trainSeeds().length, split: 'train' },
    notes,
  };
  const text = JSON.stringify(plan, null, 2) + '\n';
  const out = new AtomicFile(options.output, { ...modes.fileOptions(options.output), makeDirs: true });
  try {
    out.write(text);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return { plan, path: options.output, sha256: sha256Hex(text) };
}
