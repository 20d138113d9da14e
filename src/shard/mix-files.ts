// `mix A B … -o DIR/`: several files of one upload mixed as one, by the same pipeline as a sharded
// upload: a plan over all of them (one profile, one covert-encoding verdict, one global k split by
// largest remainder), kept in a temp folder, then each file mixed as its shard into DIR/<its name>.
// The outputs are byte for byte those of `plan` + `mix-shard` with the same options, and a single
// file's are those of `mix FILE` (a one-shard upload is a file: see shardStream).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SafemixError } from '../errors.js';
import { onAbort } from '../io/cleanup.js';
import { runTag } from '../io/run-identity.js';
import { checkTargets } from '../write/targets.js';
import type { MixOptions, MixResult } from '../api/mix.js';
import { PLAN_SPOOL_LEAD } from '../api/spool.js';
import { planShards } from './plan.js';
import { mixShard } from './mix-shard.js';

export async function mixFiles(inputs: string[], options: Omit<MixOptions, 'output' | 'manifest'> & { outputDir: string }): Promise<MixResult[]> {
  if (options.engine === 'paraphrase')
    throw new SafemixError('usage', 'several files are mixed as one upload by the offline engine; the paraphrase engine takes one file at a time', {
      hint: 'mix each file on its own with --engine paraphrase (each then gets its own k), or leave out --engine',
    });
  const names = new Set<string>();
  for (const input of inputs) {
    const name = basename(input);
    if (names.has(name))
      throw new SafemixError('usage', `two inputs are named ${name}: their outputs would collide in ${options.outputDir}; nothing was written`, {
        position: { file: input },
        hint: 'rename one, or mix them in separate runs',
      });
    names.add(name);
  }
  const outputOf = (input: string) => join(options.outputDir, basename(input));
  // every output and manifest of the run, checked against every input before the first write
  checkTargets({
    inputs: [...inputs.map((p) => ({ path: p, role: 'input' })), ...(options.safety?.path ? [{ path: options.safety.path, role: '--safety file' }] : [])],
    outputs: inputs.flatMap((p) => [
      { path: outputOf(p), role: `output of ${p}`, flag: '-o' },
      { path: `${outputOf(p)}.manifest.json`, role: `manifest of ${p}`, flag: '-o' },
    ]),
    allowSharedDir: options.allowSharedDir,
  });
  const dir = mkdtempSync(join(tmpdir(), `${PLAN_SPOOL_LEAD}${runTag()}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onAbort(remove);
  try {
    const planPath = join(dir, 'plan.json');
    await planShards(inputs, {
      ...options,
      output: planPath,
      jobs: 1,
      onProgress: options.onProgress && ((b, s) => options.onProgress!('profile', b, s)),
    });
    const results: MixResult[] = [];
    for (const [i, input] of inputs.entries()) {
      const r = await mixShard(planPath, i, {
        output: outputOf(input),
        input,
        allowSharedDir: options.allowSharedDir,
        dryRun: options.dryRun,
        onProgress: options.onProgress && ((b, s) => options.onProgress!('write', b, s)),
      });
      const categories: Record<string, number> = {};
      for (const e of r.manifest.injected) categories[e.category] = (categories[e.category] ?? 0) + 1;
      results.push({
        manifest: r.manifest,
        manifestPath: r.manifestPath,
        profile: r.profile,
        examples: r.examples,
        categories,
        ...(options.dryRun ? { dryRun: true as const } : {}),
      });
    }
    return results;
  } finally {
    unregister();
    remove();
  }
}
