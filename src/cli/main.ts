// The `safemix` command line: commander subcommands, each a thin shell over one library call.
// It parses options, prints the report (human or --json) and maps errors to exit codes.
import { Command, Option, InvalidArgumentError } from 'commander';
import { SafemixError, ExitCode, isSafemixError } from '../errors.js';
import { DIALECTS, type Dialect } from '../profile/dialects.js';
import { validateFile } from '../api/validate.js';
import { inspectFile } from '../api/inspect.js';
import { mixFile } from '../api/mix.js';
import { progressReporter } from './progress.js';
import { holdSignals, runCleanups } from '../write/cleanup.js';
import { formatInspect, formatMix, formatValidation } from './format.js';
import type { Container } from '../read/types.js';

function positiveInt(v: string): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x <= 0) throw new InvalidArgumentError('expected a positive integer');
  return x;
}

function readOptions(o: { format?: Dialect; container?: Container; header?: boolean; delimiter?: string; maxRecordBytes?: number }) {
  return { format: o.format, container: o.container, header: o.header, delimiter: o.delimiter === '\\t' ? '\t' : o.delimiter, maxRecordBytes: o.maxRecordBytes };
}

function addReadOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <dialect>', 'force the dialect instead of detecting it').choices(DIALECTS as unknown as string[]))
    .addOption(new Option('--container <container>', 'force the container instead of sniffing it').choices(['jsonl', 'json-array', 'csv', 'tsv']))
    .option('--header', 'CSV/TSV: the first row is a header')
    .option('--no-header', 'CSV/TSV: the first row is data')
    .option('--delimiter <char>', 'CSV/TSV: the field delimiter (\\t for tab)')
    .option('--max-record-bytes <n>', 'largest record accepted, in bytes', positiveInt, 64 * 1024 * 1024);
}

function nonNegativeNumber(v: string): number {
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return x;
}

function nonNegativeInt(v: string): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return x;
}

export function buildProgram(): Command {
  const program = new Command('safemix')
    .description('Harden LLM fine-tuning datasets with safety examples written in the data\'s own format.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  addReadOptions(
    program
      .command('validate')
      .description('check every record against its dialect; exit 0 valid, 1 invalid records, 2 unreadable input')
      .argument('<file>', 'dataset file (JSONL, JSON array, CSV, TSV), or - for standard input')
      .option('--json', 'print the report as JSON (schema: ValidationReportSchema)')
      .option('--max-issues <n>', 'issues listed in the report (all are counted)', positiveInt, 1000),
  ).action(async (file: string, o) => {
    const report = await validateFile(file, { ...readOptions(o), maxIssues: o.maxIssues });
    process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : formatValidation(report) + '\n');
    process.exitCode = report.valid ? ExitCode.ok : ExitCode.invalid;
  });

  addReadOptions(
    program
      .command('inspect')
      .description('infer the prompt structure of a task dataset from a seeded sample')
      .argument('<file>', 'dataset file, or - for standard input')
      .option('--sample <n>', 'records in the reservoir sample', positiveInt, 5000)
      .option('--seed <seed>', 'seed of the sample', 'safemix')
      .option('--input <field>', 'fields data: the field that holds the request')
      .option('--target <field>', 'fields data: the field that holds the answer')
      .option('--json', 'print the profile as JSON (schema: InspectReportSchema)'),
  ).action(async (file: string, o) => {
    const report = await inspectFile(file, { ...readOptions(o), sample: o.sample, seed: o.seed, input: o.input, target: o.target });
    process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : formatInspect(report) + '\n');
  });

  addReadOptions(
    program
      .command('mix')
      .description('add format-mimicking safety examples to a task dataset at an exact ratio')
      .argument('<file>', 'task dataset (JSONL, JSON array, CSV, TSV), or - for standard input')
      .requiredOption('-o, --output <path>', 'output file (same container and dialect), or - for standard output')
      .option('--ratio <r>', 'safety records per user record: k = max(1, round(r·n))', nonNegativeNumber, 0.05)
      .option('--count <n>', 'exact number of safety records (wins over --ratio; 0 copies the input)', nonNegativeInt)
      .option('--seed <seed>', 'seed for sampling, positions and rendering', 'safemix')
      .addOption(new Option('--order <order>', 'where safety records go').choices(['interleave', 'append', 'shuffle']).default('interleave'))
      .option('--manifest <path>', 'manifest path (default OUTPUT.manifest.json)')
      .option('--no-manifest', 'write no manifest')
      .option('--sample <n>', 'records sampled for the profile', positiveInt, 5000)
      .option('--input <field>', 'fields data: the field that holds the request')
      .option('--target <field>', 'fields data: the field that holds the answer')
      .option('--skip-invalid', 'leave out records that fail the checks (listed in the manifest) instead of stopping')
      .option('--safety <file>', 'your own safety source (any supported format) instead of the shipped seeds')
      .option('--safety-request <field>', 'field of the safety source that holds the request')
      .option('--safety-response <field>', 'field of the safety source that holds the response (else refusals are generated)')
      .option('--safety-where <field=value>', 'use only safety records whose field has this value, e.g. label=unsafe')
      .addOption(new Option('--on-encoded <policy>', 'when the data carries a covert encoding: fail (exit 3), warn, or mimic (also add encoded safety examples)').choices(['fail', 'warn', 'mimic']).default('fail'))
      .option('--quiet', 'no summary on standard error'),
  ).action(async (file: string, o) => {
    const progress = o.quiet ? undefined : progressReporter();
    const result = await mixFile(file, {
      ...readOptions(o),
      output: o.output,
      ratio: o.ratio,
      count: o.count,
      seed: o.seed,
      order: o.order,
      manifest: o.manifest === false ? false : o.manifest,
      sample: o.sample,
      input: o.input,
      target: o.target,
      skipInvalid: o.skipInvalid,
      safety: o.safety ? { path: o.safety, request: o.safetyRequest, response: o.safetyResponse, where: o.safetyWhere } : undefined,
      onEncoded: o.onEncoded,
      onProgress: progress?.update,
    });
    progress?.done();
    if (!o.quiet) process.stderr.write(formatMix(result) + '\n');
  });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // every phase of every command stops cleanly on SIGINT, SIGTERM and SIGHUP
  const releaseSignals = holdSignals();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (isSafemixError(e)) {
      process.stderr.write(`safemix: ${e.describe()}\n`);
      return e.exitCode;
    }
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) {
      return ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version' || ce.code === 'commander.help' ? 0 : ExitCode.usage;
    }
    process.stderr.write(`safemix: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 70;
  } finally {
    runCleanups();
    releaseSignals();
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
