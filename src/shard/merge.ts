// `safemix merge-manifests PLAN.json OUT...`: checks that every shard of the plan was mixed, once,
// from the planned bytes and completely (each output's size and sha256 as its manifest says, with
// exactly its share of k), and writes one manifest for the whole upload.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { SafemixError } from '../errors.js';
import { AtomicFile } from '../write/atomic-file.js';
import { checkTargets } from '../write/targets.js';
import { TOOL } from '../package-root.js';
import { loadPlan } from './plan.js';
import { MergedManifestSchema, ShardManifestSchema, type MergedManifest, type ShardManifest } from '../schemas/shard-manifest.js';

export interface MergeOptions {
  /** The merged manifest's path (default: PLAN's name with `.manifest.json`). */
  output?: string;
  /** Hash every output again (default true); false checks sizes only. */
  verify?: boolean;
  /** Write into a directory other users may write to. */
  allowSharedDir?: boolean;
}

export interface MergeResult {
  manifest: MergedManifest;
  path: string;
}

/** An output's manifest path: `OUT.manifest.json`, or the argument itself when it is a manifest. */
function manifestPathFor(arg: string): string {
  return arg.endsWith('.manifest.json') ? arg : `${arg}.manifest.json`;
}

function defaultMergedPath(planPath: string): string {
  return planPath.replace(/(\.json)?$/i, '.manifest.json');
}

function incomplete(message: string, file: string, hint: string): SafemixError {
  return new SafemixError('shard_incomplete', message, { position: { file }, hint });
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function mergeManifests(planPath: string, outputs: string[], options: MergeOptions = {}): Promise<MergeResult> {
  const { plan, sha256: planSha } = loadPlan(planPath);
  const target = options.output ?? defaultMergedPath(planPath);
  // the merged manifest may replace none of the files this merge reads or that the plan names
  const modes = checkTargets({
    inputs: [
      { path: planPath, role: 'plan' },
      ...plan.shards.map((s) => ({ path: resolve(dirname(planPath), s.path), role: `shard ${s.index} of the plan` })),
      ...outputs.flatMap((p) => [
        { path: manifestPathFor(p), role: 'shard manifest' },
        ...(p.endsWith('.manifest.json') ? [] : [{ path: p, role: 'shard output' }]),
      ]),
    ],
    outputs: [{ path: target, role: 'merged manifest', flag: '-o' }],
    allowSharedDir: options.allowSharedDir,
  });
  const byShard = new Map<number, { manifest: ShardManifest; path: string }>();
  const given = new Set<string>();
  for (const arg of outputs) {
    const path = manifestPathFor(arg);
    // `OUT_*` names each output and its manifest: one shard
    if (given.has(path)) continue;
    given.add(path);
    if (!existsSync(path))
      throw incomplete(
        `no manifest at ${path}: that shard's mix has not finished (or was written elsewhere)`,
        path,
        'run (or wait for) safemix mix-shard for it, then merge again',
      );
    let manifest: ShardManifest;
    try {
      manifest = ShardManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch (e) {
      throw incomplete(
        `${path} is not a mix-shard manifest (${(e as Error).message.split('\n')[0]})`,
        path,
        'give the outputs (or manifests) that safemix mix-shard wrote',
      );
    }
    const s = manifest.shard;
    if (s.planSha256 !== planSha)
      throw incomplete(
        `${path} belongs to another plan (its plan's sha256 is ${s.planSha256}, ${planPath}'s is ${planSha})`,
        path,
        'merge the outputs of this plan only',
      );
    const planned = plan.shards[s.index];
    if (!planned) throw incomplete(`${path} names shard ${s.index}, which the plan does not have`, path, 'merge the outputs of this plan only');
    if (byShard.has(s.index))
      throw incomplete(`shard ${s.index} is given twice (${byShard.get(s.index)!.path} and ${path})`, path, "give each shard's output once");
    if (manifest.input.sha256 !== planned.sha256)
      throw incomplete(`${path}: shard ${s.index} was mixed from other bytes than the plan's`, path, 'mix that shard again from the planned file');
    if (manifest.count !== planned.injected || manifest.injected.length !== planned.injected)
      throw incomplete(
        `${path}: shard ${s.index} holds ${manifest.injected.length} safety records, the plan gives it ${planned.injected}`,
        path,
        'mix that shard again with safemix mix-shard',
      );
    const plannedBalance = planned.balance ?? 0;
    if ((manifest.balanceRecords?.length ?? 0) !== plannedBalance)
      throw incomplete(
        `${path}: shard ${s.index} holds ${manifest.balanceRecords?.length ?? 0} balance examples, the plan gives it ${plannedBalance}`,
        path,
        'mix that shard again with safemix mix-shard',
      );
    const expected = planned.usable + planned.injected + plannedBalance;
    if (manifest.output.records !== expected)
      throw incomplete(
        `${path}: shard ${s.index}'s output holds ${manifest.output.records} records, ${expected} expected`,
        path,
        'mix that shard again with safemix mix-shard',
      );
    // the output on disk is the one the manifest describes, whole
    const outPath = arg.endsWith('.manifest.json') ? manifest.output.path : arg;
    let bytes: number;
    try {
      bytes = statSync(outPath).size;
    } catch {
      throw incomplete(`shard ${s.index}'s output ${outPath} is missing`, outPath, 'mix that shard again with safemix mix-shard');
    }
    if (bytes !== manifest.output.bytes)
      throw incomplete(
        `shard ${s.index}'s output ${outPath} holds ${bytes} bytes, its manifest says ${manifest.output.bytes}`,
        outPath,
        'mix that shard again with safemix mix-shard',
      );
    if (options.verify !== false && (await sha256Of(outPath)) !== manifest.output.sha256)
      throw incomplete(`shard ${s.index}'s output ${outPath} does not match its manifest's sha256`, outPath, 'mix that shard again with safemix mix-shard');
    byShard.set(s.index, { manifest, path });
  }
  const missing = plan.shards.filter((s) => !byShard.has(s.index)).map((s) => s.index);
  if (missing.length)
    throw incomplete(
      `${missing.length} of ${plan.shards.length} shards have no output: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`,
      planPath,
      'run safemix mix-shard for each of them (or wait for the queue), then merge again',
    );

  const shards = plan.shards.map((s) => byShard.get(s.index)!);
  const drawn = { categories: {} as Record<string, number>, languages: {} as Record<string, number>, languageFallbacks: 0 };
  for (const { manifest } of shards) {
    for (const [c, n] of Object.entries(manifest.drawn.categories)) drawn.categories[c] = (drawn.categories[c] ?? 0) + n;
    for (const [l, n] of Object.entries(manifest.drawn.languages)) drawn.languages[l] = (drawn.languages[l] ?? 0) + n;
    drawn.languageFallbacks += manifest.drawn.languageFallbacks;
  }
  const count = shards.reduce((n, s) => n + s.manifest.count, 0);
  if (count !== plan.injected)
    throw incomplete(`the shards hold ${count} safety records, the plan ${plan.injected}`, planPath, 'mix the shards again with safemix mix-shard');
  const langs = Object.entries(drawn.languages)
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  const manifest: MergedManifest = {
    tool: TOOL,
    kind: 'sharded',
    plan: { path: planPath, sha256: planSha },
    upload: { sha256: plan.upload.sha256, shards: plan.shards.length, records: plan.upload.records, bytes: plan.upload.bytes },
    dialect: plan.dialect,
    seed: plan.seed,
    ratio: plan.ratio,
    k: plan.k,
    count,
    order: plan.order,
    userRecords: plan.upload.usable,
    output: { records: shards.reduce((n, s) => n + s.manifest.output.records, 0), bytes: shards.reduce((n, s) => n + s.manifest.output.bytes, 0) },
    shards: shards.map(({ manifest: m, path }) => ({
      index: m.shard.index,
      input: m.input,
      output: m.output,
      manifest: path,
      container: m.container,
      k: m.shard.k,
      count: m.count,
      userRecords: m.userRecords,
    })),
    drawn,
    encoding: { verdict: plan.encoding.verdict, summary: plan.encoding.summary, policy: plan.encoding.policy },
    notes: [...plan.notes, ...(langs ? [`languages of the safety records: ${langs}`] : [])],
    injected: shards.flatMap(({ manifest: m }) => m.injected.map((r) => ({ shard: m.shard.index, ...r }))),
    ...(plan.balance
      ? { balance: plan.balance, balanceRecords: shards.flatMap(({ manifest: m }) => (m.balanceRecords ?? []).map((r) => ({ shard: m.shard.index, ...r }))) }
      : {}),
    rejected: shards.flatMap(({ manifest: m }) => m.rejected.map((r) => ({ shard: m.shard.index, ...r }))),
  };
  MergedManifestSchema.parse(manifest);
  const f = new AtomicFile(target, { ...modes.fileOptions(target), makeDirs: true });
  f.write(JSON.stringify(manifest, null, 2) + '\n');
  f.commit();
  return { manifest, path: target };
}
