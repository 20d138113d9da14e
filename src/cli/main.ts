// The `safemix` command line: commander subcommands, each a thin shell over one library call.
// It parses options, prints the report (human or --json) and maps errors to exit codes.
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { SafemixError, ExitCode, isSafemixError } from '../errors.js';
import { packageFile } from '../package-root.js';
import { DIALECTS, type Dialect } from '../profile/dialect-names.js';
import { closedAnswersArg, nonNegativeInt, nonNegativeNumber, one, positiveInt, positiveNumber, shareOfOne } from './args.js';
import type { ClosedAnswers } from '../generate/answer-policy.js';
import { DEFAULT_BALANCE_SHARE } from '../generate/balance-policy.js';
import type { MixOptions } from '../api/mix.js';
// the commands' modules (profile, generate, encoding analysis, tokenizer) load when a command runs:
// `--help` and `--version` start in a fraction of the time and memory
import type { ParaphraseOptions } from '../engine/paraphrase.js';
import { progressReporter } from './progress.js';
import { holdSignals, runCleanups } from '../io/cleanup.js';
import { startGcPacer } from '../gc-pacer.js';
import { formatInspect, formatMix, formatValidation } from './format.js';
import { human } from './print.js';
import type { Container } from '../read/types.js';
import { registerShardCommands } from './shard-commands.js';
import { registerQueueCommands } from './queue-commands.js';
import { registerEvalCommands } from './eval-commands.js';
import { DEFAULT_STRING_JUDGE, STRING_JUDGES } from '../judge/string-judges.js';

function readOptions(o: {
  format?: Dialect;
  container?: Container;
  header?: boolean;
  delimiter?: string;
  maxRecordBytes?: number;
  records?: string;
  threads?: number;
}) {
  return {
    format: o.format,
    container: o.container,
    header: o.header,
    delimiter: o.delimiter === '\\t' ? '\t' : o.delimiter,
    maxRecordBytes: o.maxRecordBytes,
    threads: o.threads,
    ...(o.records !== undefined ? { recordPath: o.records } : {}),
  };
}

function addReadOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <dialect>', 'force the dialect instead of detecting it').choices(DIALECTS as unknown as string[]))
    .addOption(new Option('--container <container>', 'force the container instead of sniffing it').choices(['jsonl', 'json-array', 'csv', 'tsv', 'parquet']))
    .option('--header', 'CSV/TSV: the first row is a header')
    .option('--no-header', 'CSV/TSV: the first row is data')
    .option('--delimiter <char>', 'CSV/TSV: the field delimiter (\\t for tab)')
    .option('--records <path>', 'a JSON document whose records sit deeper: their path, e.g. data[].paragraphs[].qas[] (inferred when left out)')
    .option('--max-record-bytes <n>', 'largest record accepted, in bytes', positiveInt, 64 * 1024 * 1024)
    .option(
      '--threads <n>',
      'worker threads that parse and check records beside the reading (default: one fewer than the cores, at most 3, for 16 MB or more; 0: none)',
      nonNegativeInt,
    );
}

function collect(v: string, all: string[]): string[] {
  return [...all, v];
}

const PARAPHRASE_FLAGS = [
  'endpoint',
  'model',
  'apiKeyEnv',
  'concurrency',
  'timeout',
  'retries',
  'repairs',
  'examples',
  'cache',
  'maxFallback',
  'priceIn',
  'priceOut',
] as const;

/** The paraphrase engine's options; its flags without --engine paraphrase are a usage error. */
function paraphraseOptions(o: Record<string, unknown> & { engine?: string }, source?: (name: string) => string | undefined): ParaphraseOptions | undefined {
  if (o.engine !== 'paraphrase') {
    const given = PARAPHRASE_FLAGS.filter((f) => source?.(f) === 'cli');
    if (given.length)
      throw new SafemixError('usage', `--${given[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is an option of the paraphrase engine`, {
        hint: 'add --engine paraphrase (with --endpoint URL and --model NAME)',
      });
    return undefined;
  }
  if (typeof o.model !== 'string' || !o.model)
    throw new SafemixError('usage', '--engine paraphrase needs --model NAME', {
      hint: 'name a model the endpoint serves, e.g. --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-7B-Instruct',
    });
  return {
    endpoint: o.endpoint as string | undefined,
    model: o.model,
    apiKeyEnv: o.apiKeyEnv as string | undefined,
    concurrency: o.concurrency as number,
    timeout: Math.round((o.timeout as number) * 1000),
    retries: o.retries as number,
    repairs: o.repairs as number,
    examples: o.examples as number,
    cache: o.cache as string | false | undefined,
    maxFallback: o.maxFallback as number | undefined,
    priceIn: o.priceIn as number | undefined,
    priceOut: o.priceOut as number | undefined,
  };
}

interface PackageJson {
  version: string;
  bugs?: string | { url?: string };
  repository?: string | { url?: string };
}

function packageJson(): PackageJson {
  return JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as PackageJson;
}

/** Where to report a bug: the package's `bugs` (or repository) address. */
function bugsAddress(pkg: PackageJson = packageJson()): string {
  const url = (v: PackageJson['bugs']) => (typeof v === 'string' ? v : v?.url);
  return (
    url(pkg.bugs) ??
    url(pkg.repository)
      ?.replace(/^git\+/, '')
      .replace(/\.git$/, '') ??
    "safemix's issue tracker (where you got safemix from)"
  );
}

function buildProgram(): Command {
  const program = new Command('safemix')
    .description("Harden LLM fine-tuning datasets with safety examples written in the data's own format.")
    .version(packageJson().version)
    .showHelpAfterError()
    .exitOverride();

  addReadOptions(
    program
      .command('validate')
      .description('check every record against its dialect; exit 0 valid, 1 invalid records, 2 unreadable input')
      .argument('<file>', 'dataset file (JSONL, JSON array, CSV, TSV, or Parquet by its path), or - for standard input')
      .option('--json', 'print the report as JSON (schema: ValidationReportSchema)')
      .option('--max-issues <n>', 'issues listed in the report (all are counted)', positiveInt, 1000),
  ).action(async (file: string, o) => {
    const { validateFile } = await import('../api/validate.js');
    const report = await validateFile(file, { ...readOptions(o), maxIssues: o.maxIssues });
    process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : human(formatValidation(report)) + '\n');
    process.exitCode = report.valid ? ExitCode.ok : ExitCode.invalid;
  });

  addReadOptions(
    program
      .command('inspect')
      .description('infer the prompt structure of a task dataset from a seeded sample')
      .argument('<files...>', 'dataset file(s), or - for standard input; several files are one upload: one covert-encoding verdict over all')
      .option('--sample <n>', 'records in the reservoir sample', positiveInt, 5000)
      .option('--seed <seed>', 'seed of the sample', 'safemix')
      .option('--input <field>', 'fields data: the field that holds the request')
      .option('--target <field>', 'fields data: the field that holds the answer')
      .option('--context <field>', 'treat a field as context; repeatable', collect, [])
      .option('--metadata <field>', 'treat a field as metadata; repeatable', collect, [])
      .option('--json', 'print the profile as JSON (schema: InspectReportSchema)'),
  ).action(async (files: string[], o) => {
    const inspectOptions = { ...readOptions(o), sample: o.sample, seed: o.seed, input: o.input, target: o.target, context: o.context, metadata: o.metadata };
    if (files.length === 1) {
      const { inspectFile } = await import('../api/inspect.js');
      const report = await inspectFile(files[0]!, inspectOptions);
      process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : human(formatInspect(report)) + '\n');
      return;
    }
    const { inspectFiles } = await import('../api/inspect.js');
    const reports = await inspectFiles(files, inspectOptions);
    process.stdout.write(o.json ? JSON.stringify(reports, null, 2) + '\n' : human(reports.map(formatInspect).join('\n\n')) + '\n');
  });

  addReadOptions(
    program
      .command('judge')
      .description('label every assistant response of a dataset refusal, partial or compliance with the refusal judge, and count them')
      .argument('<file>', 'dataset file (any supported format; not standard input: it is read twice)')
      .option('--field <path>', 'the field that holds the responses (e.g. output, answer.text), instead of the one the profile finds')
      .option('--sample <n>', 'records in the sample the structure is read from', positiveInt, 5000)
      .option('--seed <seed>', 'seed of that sample', 'safemix')
      .option('--json', 'print the counts and one verdict per response as JSON')
      .addOption(
        new Option('--judge <name>', 'the string judge (string-v1: the first, frozen version; docs/judge.md measures both)')
          .choices([...STRING_JUDGES])
          .default(DEFAULT_STRING_JUDGE),
      ),
  ).action(async (file: string, o) => {
    const { judgeFile } = await import('../api/judge-file.js');
    const report = await judgeFile(file, { ...readOptions(o), field: o.field, sample: o.sample, seed: o.seed, verdicts: o.json === true, judge: o.judge });
    if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else {
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      const c = report.counts;
      process.stdout.write(
        human(
          `safemix judge: ${report.file} (${report.dialect}, ${report.records} records, ${report.responses} responses, ${report.judge})\n  refusal     ${c.refusal}\n  partial     ${c.partial}\n  compliance  ${c.compliance}\n  refusals    ${pct(report.refusalShare)} of the responses (refusal or partial)`,
        ) + '\n',
      );
    }
  });

  addReadOptions(
    program
      .command('mix')
      .description('add format-mimicking safety examples to a task dataset at an exact ratio')
      .argument(
        '<files...>',
        'task dataset (JSONL, JSON array, CSV, TSV, or Parquet by its path, mixed into Parquet), or - for standard input; several files are one upload, mixed into -o DIR/',
      )
      .requiredOption('-o, --output <path>', 'output file (same container and dialect), or - for standard output; with several inputs, a directory')
      .option(
        '--ratio <r>',
        'safety records per user record: k = max(1, round-half-up(r·n)), exact in decimal; at most 10 per user record unless --force',
        nonNegativeNumber,
        0.05,
      )
      .option(
        '--count <n>',
        'exact number of safety records (wins over --ratio; 0 copies the input; at most 10 per user record unless --force)',
        nonNegativeInt,
      )
      .option('--force', 'allow more than 10 safety records per user record')
      .option(
        '--balance <share>',
        'balance examples (safe-but-sensitive prompts answered helpfully) as a share of the safety records, added beside them: b = round-half-up(share·k); 0 for none',
        one(shareOfOne),
        DEFAULT_BALANCE_SHARE,
      )
      .option('--seed <seed>', 'seed for sampling, positions and rendering', 'safemix')
      .addOption(new Option('--order <order>', 'where safety records go').choices(['interleave', 'append', 'shuffle']).default('interleave'))
      .option('--manifest <path>', 'manifest path (default OUTPUT.manifest.json)')
      .option('--no-manifest', 'write no manifest')
      .option('--allow-shared-dir', 'write into a directory other users may write to (refused by default: they could plant a link under the output name)')
      .option('--max-stdin-bytes <n>', 'the most bytes mix - takes from standard input (it is spooled to a temp file)', positiveInt, 64 * 1024 ** 3)
      .option('--sample <n>', 'records sampled for the profile', positiveInt, 5000)
      .option('--input <field>', 'fields data: the field that holds the request')
      .option('--target <field>', 'fields data: the field that holds the answer')
      .option('--context <field>', 'treat a field as context (kept, emptied or neutral by the documented rule); repeatable', collect, [])
      .option('--metadata <field>', 'treat a field as metadata (its commonest value, or emptied); repeatable', collect, [])
      .option('--lang <code>', "write every safety record in this language (ISO 639-1) instead of each donor's")
      .addOption(
        new Option(
          '--lang-fallback <lang>',
          'records in languages not shipped offline get English safety records (without it, more than 10% of such records is declined, exit 4)',
        ).choices(['en']),
      )
      .option(
        '--closed-answers <policy>',
        'closed label sets: decline (default: the label that marks a harmful request if the set has one, else exit 4), label=VALUE, refuse (refusal text in the label slot) or skip (leave the data unmixed)',
        closedAnswersArg,
        'decline' as ClosedAnswers,
      )
      .addOption(
        new Option(
          '--audit <mode>',
          "the form audit: strict (a safety record a user record's form tells apart is planned again; exit 4 and nothing written when none passes) or warn (written, failures listed in the manifest)",
        )
          .choices(['strict', 'warn'])
          .default('strict'),
      )
      .option('--skip-invalid', 'leave out records that fail the checks (listed in the manifest) instead of stopping')
      .option('--safety <file>', 'your own safety source (any supported format) instead of the shipped seeds')
      .option('--safety-request <field>', 'field of the safety source that holds the request')
      .option('--safety-response <field>', 'field of the safety source that holds the response (else refusals are generated)')
      .option('--safety-where <field=value>', 'use only safety records whose field has this value, e.g. label=unsafe')
      .addOption(
        new Option('--on-encoded <policy>', 'when the data carries a covert encoding: fail (exit 3), warn, or mimic (also add encoded safety examples)')
          .choices(['fail', 'warn', 'mimic'])
          .default('fail'),
      )
      .option(
        '--overlap-check',
        'run the covert-encoding analysis on a worker thread while the output is written (kept only when the data is judged plain, else written again): faster, about 40 MB more memory',
      )
      .addOption(
        new Option('--engine <engine>', 'render (offline) or paraphrase (a model at an OpenAI-compatible endpoint rewrites each safety record)')
          .choices(['render', 'paraphrase'])
          .default('render'),
      )
      .option('--endpoint <url>', 'paraphrase: API base URL, e.g. http://127.0.0.1:8000/v1 (default OPENAI_BASE_URL, else OpenAI)')
      .option('--model <name>', 'paraphrase: the model to ask')
      .option('--api-key-env <name>', 'paraphrase: environment variable holding the API key (default OPENAI_API_KEY)')
      .option('--concurrency <n>', 'paraphrase: requests in flight', positiveInt, 4)
      .option('--timeout <seconds>', 'paraphrase: seconds one request may take', one(positiveNumber), 60)
      .option('--retries <n>', 'paraphrase: retries of a request after 429, 5xx, a timeout or a dropped connection', nonNegativeInt, 4)
      .option('--repairs <n>', 'paraphrase: times an invalid answer is asked again with the error, before the offline record is used', nonNegativeInt, 2)
      .option('--examples <n>', 'paraphrase: donor records shown to the model', positiveInt, 3)
      .option('--cache <dir>', 'paraphrase: answer cache (default ~/.cache/safemix)')
      .option('--no-cache', 'paraphrase: no answer cache')
      .option(
        '--max-fallback <r>',
        'paraphrase: fail (exit 1, nothing written) when more than this share of records fell back to the offline engine',
        one(shareOfOne),
      )
      .option('--price-in <usd>', 'paraphrase: USD per million input tokens, for the estimated cost', nonNegativeNumber)
      .option('--price-out <usd>', 'paraphrase: USD per million output tokens, for the estimated cost', nonNegativeNumber)
      .option(
        '--dry-run',
        'plan, render and audit every safety record and read the input as a run does, and write nothing: the summary says what a run would write',
      )
      .option('--report <file.html>', 'also write a review page: the run, charts, and every added record beside its donor (one self-contained HTML file)')
      .option('--quiet', 'no summary on standard error'),
  ).action(async (files: string[], o, cmd: Command) => {
    const file = files[0]!;
    const progress = o.quiet ? undefined : progressReporter();
    const options: MixOptions & { force?: boolean } = {
      ...readOptions(o),
      force: o.force === true,
      output: o.output,
      ratio: o.ratio,
      count: o.count,
      balance: o.balance,
      seed: o.seed,
      order: o.order,
      manifest: o.manifest === false ? false : o.manifest,
      sample: o.sample,
      input: o.input,
      target: o.target,
      context: o.context,
      metadata: o.metadata,
      lang: o.lang,
      langFallback: o.langFallback as 'en' | undefined,
      closedAnswers: o.closedAnswers,
      audit: o.audit,
      skipInvalid: o.skipInvalid,
      // the manifest's list of safety records goes to its file, not the summary: memory stays flat
      keepInjected: false,
      safety: o.safety ? { path: o.safety, request: o.safetyRequest, response: o.safetyResponse, where: o.safetyWhere } : undefined,
      onEncoded: o.onEncoded,
      overlapCheck: o.overlapCheck === true || undefined,
      onProgress: progress?.update,
      engine: o.engine,
      paraphrase: paraphraseOptions(o, (name) => cmd.getOptionValueSource(name)),
      allowSharedDir: o.allowSharedDir === true || undefined,
      maxStdinBytes: o.maxStdinBytes,
      dryRun: o.dryRun === true || undefined,
    };
    if (files.length > 1) {
      // one upload in several files: one covert-encoding verdict, each file mixed into the directory
      if (files.includes('-')) throw new SafemixError('usage', 'standard input cannot be one of several inputs', { hint: 'give the files by name' });
      const { mixFiles } = await import('../shard/mix-files.js');
      const results = await mixFiles(files, { ...options, outputDir: o.output });
      progress?.done();
      if (!o.quiet) process.stderr.write(human(results.map(formatMix).join('\n\n')) + '\n');
      return;
    }
    if (o.report && (o.dryRun || o.manifest === false || o.output === '-' || files.length > 1 || file === '-'))
      throw new SafemixError(
        'usage',
        '--report reads the input, the output and its manifest again: it needs one input file, a written output file and its manifest',
        {
          hint: 'leave out --dry-run, --no-manifest and -o -, give the input by name, or write a page for each output later with safemix report OUTPUT.manifest.json -o PAGE.html',
        },
      );
    const { mixFile } = await import('../api/mix.js');
    const result = await mixFile(file, options);
    progress?.done();
    if (!o.quiet) process.stderr.write(human(formatMix(result)) + '\n');
    if (o.report) {
      const { writeReport } = await import('../api/report.js');
      const page = await writeReport(result.manifestPath!, { output: o.report, allowSharedDir: o.allowSharedDir === true || undefined });
      if (!o.quiet) process.stderr.write(`  report     ${page.path} (${page.records} added records)\n`);
    }
  });

  program
    .command('report')
    .description('write the review page of an earlier mix: the run, charts, and every added record beside its donor (one self-contained HTML file)')
    .argument('<manifest>', 'the OUTPUT.manifest.json that safemix mix wrote')
    .requiredOption('-o, --output <file.html>', 'the page to write')
    .option('--mixed <path>', 'the mixed output, when it is not where the manifest says')
    .option('--input <path>', 'the input, when it is not where the manifest says')
    .option('--allow-shared-dir', 'write into a directory other users may write to')
    .action(async (manifest: string, o) => {
      const { writeReport } = await import('../api/report.js');
      const page = await writeReport(manifest, { output: o.output, mixed: o.mixed, input: o.input, allowSharedDir: o.allowSharedDir === true || undefined });
      process.stderr.write(`safemix report: ${page.path} (${page.records} added records)\n`);
    });

  registerShardCommands(program, addReadOptions, readOptions as (o: Record<string, unknown>) => Record<string, unknown>);
  registerQueueCommands(program, addReadOptions, readOptions as (o: Record<string, unknown>) => Record<string, unknown>);
  registerEvalCommands(program, addReadOptions, readOptions as (o: Record<string, unknown>) => Record<string, unknown>);

  return program;
}

/**
 * Standard output that goes away (`safemix mix a.jsonl -o - | head`) ends the run at once and
 * quietly, as `cat` does: temp files are removed and the exit code is 141 (128 + SIGPIPE).
 */
function onStdoutError(e: NodeJS.ErrnoException): void {
  runCleanups();
  if (e.code !== 'EPIPE')
    process.stderr.write(
      `safemix: <stdout>: cannot write standard output (${e.code ?? e.message}); nothing more was written\n  what to do: check what reads safemix's output\n`,
    );
  process.exit(e.code === 'EPIPE' ? ExitCode.brokenPipe : ExitCode.usage);
}

/** What the CLI prints for an error that is not a SafemixError, and the exit code. */
function describeUnexpected(e: unknown): { text: string; code: number } {
  const err = e as NodeJS.ErrnoException;
  // a system call that failed (out of memory, too many open files, an I/O error): the machine, not safemix
  if (typeof err?.code === 'string' && typeof err.syscall === 'string') {
    return {
      text: `safemix: ${err.path ? `${err.path}: ` : ''}${err.syscall} failed (${err.code}): ${err.message}\n  what to do: check the path, its permissions, free disk space and open-file limits, then run again\n`,
      code: ExitCode.usage,
    };
  }
  return {
    text:
      `safemix: internal error: this is a bug in safemix, not a problem with your data or command line.\n` +
      `  please report it at ${bugsAddress()} with the command you ran, safemix ${packageJson().version} on Node ${process.version}, and this message:\n` +
      `  ${((e as Error)?.stack ?? String(e)).replace(/\n/g, '\n  ')}\n`,
    code: ExitCode.bug,
  };
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // every phase of every command stops cleanly on SIGINT, SIGTERM and SIGHUP
  const releaseSignals = holdSignals();
  // a long run's heap stays near its live size (see gc-pacer.ts)
  const stopGcPacer = startGcPacer();
  process.stdout.on('error', onStdoutError);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (isSafemixError(e)) {
      // the reader of standard output left: nothing to say to anyone
      if (e.code !== 'output_closed') process.stderr.write(`safemix: ${e.describe()}\n`);
      return e.exitCode;
    }
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) {
      return ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version' || ce.code === 'commander.help' ? 0 : ExitCode.usage;
    }
    const { text, code } = describeUnexpected(e);
    process.stderr.write(human(text));
    return code;
  } finally {
    stopGcPacer();
    runCleanups();
    releaseSignals();
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
