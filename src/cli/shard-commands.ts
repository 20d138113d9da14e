// The command line of sharded mixing: `plan`, `mix-shard` and `merge-manifests` (registered on the
// program by src/cli/main.ts).
import { Command, Option } from 'commander';
// the shard modules load when a shard command runs, not at every start-up
import { progressReporter } from './progress.js';
import { human } from './print.js';
import { closedAnswersArg, nonNegativeNumber, shareOfOne, wholeNumber } from './args.js';
import { DEFAULT_BALANCE_SHARE } from '../generate/balance-policy.js';
import type { ClosedAnswers } from '../generate/answer-policy.js';

export type AddReadOptions = (cmd: Command) => Command;
export type ReadOptionsOf = (o: Record<string, unknown>) => Record<string, unknown>;

function collect(v: string, all: string[]): string[] {
  return [...all, v];
}

/** The mix options a plan (or a queued whole-file mix) takes. */
export function addMixChoices(cmd: Command): Command {
  return cmd
    .option('--ratio <r>', 'safety records per user record: k = max(1, round-half-up(r·N)) over the whole upload, exact in decimal', (v) =>
      nonNegativeNumber(v),
    )
    .option('--count <n>', 'exact number of safety records for the whole upload (wins over --ratio)', wholeNumber(0))
    .option('--force', 'allow more than 10 safety records per user record')
    .option(
      '--balance <share>',
      'balance examples (safe-but-sensitive prompts answered helpfully) as a share of the safety records; 0 for none',
      (v) => shareOfOne(v),
      DEFAULT_BALANCE_SHARE,
    )
    .option('--seed <seed>', 'seed for sampling, positions and rendering', 'safemix')
    .addOption(new Option('--order <order>', 'where safety records go (within each shard)').choices(['interleave', 'append', 'shuffle']).default('interleave'))
    .option('--sample <n>', 'records sampled for the profile (and donors)', wholeNumber(1), 5000)
    .option('--input <field>', 'fields data: the field that holds the request')
    .option('--target <field>', 'fields data: the field that holds the answer')
    .option('--context <field>', 'treat a field as context; repeatable', collect, [])
    .option('--metadata <field>', 'treat a field as metadata; repeatable', collect, [])
    .option('--lang <code>', "write every safety record in this language (ISO 639-1) instead of each donor's")
    .addOption(
      new Option(
        '--lang-fallback <lang>',
        'records in languages not shipped offline get English safety records (else more than 10% of them is declined, exit 4)',
      ).choices(['en']),
    )
    .option(
      '--closed-answers <policy>',
      'closed label sets: decline (default), label=VALUE, refuse or skip (see mix --help)',
      closedAnswersArg,
      'decline' as ClosedAnswers,
    )
    .option('--skip-invalid', 'leave out records that fail the checks (listed in the manifests) instead of stopping')
    .addOption(
      new Option('--audit <mode>', 'the form audit: strict (a safety record that fails is planned again; exit 4 when none passes) or warn (see mix --help)')
        .choices(['strict', 'warn'])
        .default('strict'),
    )
    .addOption(
      new Option('--on-encoded <policy>', 'when the data carries a covert encoding: fail (exit 3), warn, or mimic')
        .choices(['fail', 'warn', 'mimic'])
        .default('fail'),
    );
}

export function mixChoices(o: Record<string, unknown>) {
  return {
    ratio: o.ratio as number | undefined,
    count: o.count as number | undefined,
    force: o.force === true,
    balance: o.balance as number,
    seed: o.seed as string,
    order: o.order as 'interleave' | 'append' | 'shuffle',
    sample: o.sample as number,
    input: o.input as string | undefined,
    target: o.target as string | undefined,
    context: o.context as string[],
    metadata: o.metadata as string[],
    lang: o.lang as string | undefined,
    langFallback: o.langFallback as 'en' | undefined,
    closedAnswers: o.closedAnswers as ClosedAnswers,
    skipInvalid: o.skipInvalid === true,
    onEncoded: o.onEncoded as 'fail' | 'warn' | 'mimic',
    audit: o.audit as 'strict' | 'warn',
  };
}

export function registerShardCommands(program: Command, addReadOptions: AddReadOptions, readOptions: ReadOptionsOf): void {
  addReadOptions(
    addMixChoices(
      program
        .command('plan')
        .description('plan the mix of an upload split into shards: one pass per shard (in parallel), one profile, one global k split across the shards')
        .argument('<shards...>', 'the shards, in order (one dialect; JSONL and JSON-array shards may be mixed, or CSV/TSV shards with the same columns)')
        .requiredOption('-o, --output <plan>', 'PLAN.json to write'),
    )
      .option('--safety <file>', 'your own safety source instead of the shipped seeds (its requests are carried in the plan)')
      .option('--safety-request <field>', 'field of the safety source that holds the request')
      .option('--safety-response <field>', 'field of the safety source that holds the response')
      .option('--safety-where <field=value>', 'use only safety records whose field has this value')
      .option('--jobs <n>', 'shards scanned at once (default: the cores available)', wholeNumber(1))
      .option('--json', 'print a summary of the plan as JSON')
      .option('--allow-shared-dir', 'write into a directory other users may write to')
      .option('--quiet', 'no summary on standard error'),
  ).action(async (shards: string[], o) => {
    const progress = o.quiet || o.json ? undefined : progressReporter();
    const { planShards } = await import('../shard/plan.js');
    const { plan, path, sha256 } = await planShards(shards, {
      ...readOptions(o),
      ...mixChoices(o),
      output: o.output,
      allowSharedDir: o.allowSharedDir === true || undefined,
      safety: o.safety ? { path: o.safety, request: o.safetyRequest, response: o.safetyResponse, where: o.safetyWhere } : undefined,
      jobs: o.jobs,
      onProgress: progress && ((b, s) => progress.update('scan', b, s)),
    });
    progress?.done();
    const summary = {
      plan: path,
      sha256,
      upload: plan.upload,
      dialect: plan.dialect,
      k: plan.k,
      injected: plan.injected,
      encoding: plan.encoding.verdict,
      shards: plan.shards.map((s) => ({
        index: s.index,
        name: s.name,
        container: s.container,
        records: s.records,
        usable: s.usable,
        k: s.k,
        injected: s.injected,
      })),
    };
    if (o.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    else if (!o.quiet) {
      const lines = [
        `safemix plan: ${plan.shards.length} shard(s) → ${path}`,
        `  upload     ${plan.dialect}, ${plan.upload.records.toLocaleString('en-US')} records (${plan.upload.usable.toLocaleString('en-US')} usable), ${plan.upload.bytes.toLocaleString('en-US')} bytes; content hash ${plan.upload.sha256.slice(0, 16)}`,
        `  k          ${plan.k} safety records${plan.ratio !== null ? ` (ratio ${plan.ratio}, seed ${plan.seed})` : ` (--count, seed ${plan.seed})`}${plan.injected !== plan.k ? `, ${plan.injected} written with the encoded twins` : ''}`,
        `  profile    ${plan.sample.records.length} sampled records across the shards; request ${String((plan.profile.views as { request?: { path?: string } })?.request?.path ?? '?')}`,
        `  encoding   ${plan.encoding.summary}`,
        ...plan.shards.map((s) => `  shard ${String(s.index).padStart(3)}  ${s.name}: ${s.container}, ${s.records.toLocaleString('en-US')} records → k ${s.k}`),
        ...plan.notes.map((n) => `  note       ${n}`),
        `  next       safemix mix-shard ${path} --shard I -o OUT_I   (I = 0..${plan.shards.length - 1}), then safemix merge-manifests ${path} OUT_*`,
      ];
      process.stderr.write(human(lines.join('\n')) + '\n');
    }
  });

  program
    .command('mix-shard')
    .description(
      "mix one shard of a plan: its output is a pure function of (plan, shard), byte-identical on any machine; a shard whose sha256 differs from the plan's is refused",
    )
    .argument('<plan>', 'PLAN.json written by safemix plan')
    .requiredOption('--shard <i>', "the shard's 0-based index in the plan", wholeNumber(0))
    .requiredOption('-o, --output <path>', 'output file (the shard container and dialect)')
    .option('--manifest <path>', 'manifest path (default OUTPUT.manifest.json)')
    .option('--input <path>', 'the shard file, when it is not at the path the plan names (relative to the plan)')
    .option('--json', 'print the result (output, manifest, counts) as one JSON line on standard output')
    .option('--allow-shared-dir', 'write into a directory other users may write to')
    .option('--quiet', 'no summary on standard error')
    .action(async (planPath: string, o) => {
      const { mixShard } = await import('../shard/mix-shard.js');
      const { manifest, manifestPath } = await mixShard(planPath, o.shard, {
        output: o.output,
        manifest: o.manifest,
        input: o.input,
        allowSharedDir: o.allowSharedDir === true || undefined,
      });
      if (o.json)
        process.stdout.write(
          JSON.stringify({
            shard: manifest.shard.index,
            output: manifest.output,
            manifest: manifestPath,
            injected: manifest.count,
            userRecords: manifest.userRecords,
          }) + '\n',
        );
      if (!o.quiet && !o.json)
        process.stderr.write(
          human(
            `safemix mix-shard: shard ${manifest.shard.index} of ${manifest.shard.of} (${manifest.input.path}) → ${manifest.output.path}\n` +
              `  added      ${manifest.count} safety records (k ${manifest.shard.k} of ${manifest.shard.of} shards' total) → ${manifest.output.records} records\n` +
              `  manifest   ${manifestPath ?? '(none)'}`,
          ) + '\n',
        );
    });

  program
    .command('merge-manifests')
    .description('check that every shard of a plan was mixed completely, and write one manifest for the upload')
    .argument('<plan>', 'PLAN.json')
    .argument('<outputs...>', "the shards' outputs (or their .manifest.json files)")
    .option('-o, --output <path>', 'merged manifest (default PLAN.manifest.json)')
    .option('--no-verify', "check the outputs' sizes only, not their sha256")
    .option('--json', 'print the merged manifest on standard output')
    .option('--allow-shared-dir', 'write into a directory other users may write to')
    .action(async (planPath: string, outputs: string[], o) => {
      const { mergeManifests } = await import('../shard/merge.js');
      const { manifest, path } = await mergeManifests(planPath, outputs, {
        output: o.output,
        verify: o.verify,
        allowSharedDir: o.allowSharedDir === true || undefined,
      });
      if (o.json) process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
      else
        process.stderr.write(
          human(
            `safemix merge-manifests: ${manifest.shards.length} shards complete, ${manifest.count} safety records (k ${manifest.k}) among ${manifest.output.records.toLocaleString('en-US')} records → ${path}`,
          ) + '\n',
        );
    });
}
