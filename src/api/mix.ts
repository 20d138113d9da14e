// `safemix mix` as a library call, the product's main job. Pass 1 samples and profiles the input
// (mix-pass1.ts); the safety records are planned (mix-plan.ts); pass 2 streams the user's records
// through unchanged while the blend plan places the planned records among them (mix-pass2.ts); output
// and manifest (mix-manifest.ts) are written atomically. Memory is bounded by the sample.
import { AtomicFile, commitTogether, completeInterruptedCommit } from '../write/atomic-file.js';
import { writeManifest } from '../write/manifest-file.js';
import { checkTargets, fingerprint } from '../write/targets.js';
import { writeError } from '../io/io-error.js';
import { mixChoices } from './mix-options.js';
import { jsonLines, spoolInput } from './spool.js';
import { analyzeFirstPass, readFirstPass, settleFirstPass, type FirstPass, type ReadPass } from './mix-pass1.js';
import { analyzeScreenedOffThread } from './encoding-screened.js';
import { skippedEncoding } from './encoding-check.js';
import type { EncodingReport } from '../encoding/index.js';
import { planAdded } from './mix-plan.js';
import { outputSink, secondPass } from './mix-pass2.js';
import { AddedRecords } from './mix-added.js';
import { manifestPathOf, mixManifest } from './mix-manifest.js';
import { dryRunNote } from './mix-notes.js';
import type { MixOptions, MixResult, MixRun } from './mix-types.js';

export type { MixOptions, MixResult } from './mix-types.js';
export { MAX_STDIN_BYTES, removeStaleSpools } from './spool.js';

export async function mixFile(inputPath: string, options: MixOptions): Promise<MixResult> {
  const spooled = inputPath === '-' ? await spoolInput(process.stdin, '<stdin>', options.maxStdinBytes) : undefined;
  try {
    return await mixPath(spooled?.path ?? inputPath, inputPath === '-' ? '<stdin>' : inputPath, options);
  } finally {
    spooled?.cleanup();
  }
}

/**
 * Records from memory or a stream (an async iterable, e.g. a database cursor): each is a JSON Lines
 * record, given as its text or bytes (taken byte for byte, one line) or as a value (written with
 * JSON.stringify, the one byte form a value has). They are spooled to a temp file, which mix reads
 * twice as it reads a file, and removed on any exit; the output and manifest go where `options` say.
 */
export async function mixRecords(
  records: AsyncIterable<string | Uint8Array | object> | Iterable<string | Uint8Array | object>,
  options: MixOptions & { displayName?: string },
): Promise<MixResult> {
  const name = options.displayName ?? '<records>';
  const spooled = await spoolInput(jsonLines(records, name), name, options.maxStdinBytes);
  try {
    return await mixPath(spooled.path, name, options);
  } finally {
    spooled.cleanup();
  }
}

async function mixPath(path: string, displayName: string, options: MixOptions): Promise<MixResult> {
  const choices = mixChoices(options);
  // every path this run writes, checked against every path it reads and against each other
  const manifestPath = manifestPathOf(options);
  const modes = checkTargets({
    inputs: [{ path, role: 'input' }, ...(options.safety?.path ? [{ path: options.safety.path, role: '--safety file' }] : [])],
    outputs: [
      { path: options.output, role: 'output', flag: '-o', stdout: true },
      ...(manifestPath ? [{ path: manifestPath, role: 'manifest', flag: '--manifest' }] : []),
    ],
    allowSharedDir: options.allowSharedDir,
  });
  // a commit a killed run left half done (new manifest, old output) is finished first
  const recovered = manifestPath && options.output !== '-' && !options.dryRun ? completeInterruptedCommit(options.output, manifestPath) : undefined;
  // the input is read twice: its state now is checked after each pass
  const run: MixRun = { path, displayName, options, choices, before: fingerprint(path, displayName) };
  const read = await readFirstPass(run);
  const targets: Targets = { modes, manifestPath, recovered };
  if (!overlapsCheck(run, read)) return writeMix(run, settleFirstPass(run, read, analyzeFirstPass(run, read)), targets);
  // the covert-encoding analysis on a worker thread while pass 2 writes as if the data were plain
  // (the common case); when the verdict says otherwise, that output is let go before it lands and
  // the run is written again from the verdict (or refused by it), as it would have been without
  const checking = read.sample.length;
  options.onProgress?.('check', 0, checking);
  const verdict = analyzeScreenedOffThread(read.scan.detection.dialect, read.sample, read.screened, read.records);
  // a failed analysis is the run's error when it is awaited, not an unhandled rejection meanwhile
  verdict.catch(() => {});
  // settling the run never reads the suspects' records (their texts went to the worker, and stay
  // for the analysis here should the worker fail)
  read.screened = undefined;
  const done = async () => {
    const report = await verdict;
    options.onProgress?.('check', checking, checking);
    return report;
  };
  let written: MixResult | undefined;
  try {
    written = await writeMix(run, settleFirstPass(run, read, skippedEncoding(checking)), targets, done);
  } catch (e) {
    // an error the plain reading gives is the run's error only when the data is plain
    if ((await done()).verdict === 'none') throw e;
  }
  return written ?? writeMix(run, settleFirstPass(run, read, await done()), targets);
}

/**
 * Whether the analysis runs on a worker beside pass 2 (MixOptions.overlapCheck, off by default): only
 * when the check is on, the output is a file (an output that cannot be let go, standard output, is
 * written after the verdict), and nothing goes to a model endpoint before the verdict (the
 * paraphrase engine).
 */
function overlapsCheck({ options, choices }: MixRun, read: ReadPass): boolean {
  if (options.overlapCheck !== true || options.detectEncoding === false || options.output === '-' || options.dryRun || choices.engine !== 'render')
    return false;
  return read.sample.length > 0;
}

interface Targets {
  modes: ReturnType<typeof checkTargets>;
  manifestPath: string | undefined;
  recovered: ReturnType<typeof completeInterruptedCommit>;
}

/**
 * Plans the added records, writes pass 2 and commits the output with its manifest. With `verdict`
 * (the analysis running beside it), `first` assumed the data plain: the output commits only when
 * the verdict is `none`, and is let go otherwise (undefined is returned: the caller writes again).
 */
async function writeMix(run: MixRun, first: FirstPass, targets: Targets): Promise<MixResult>;
async function writeMix(run: MixRun, first: FirstPass, targets: Targets, verdict: () => Promise<EncodingReport>): Promise<MixResult | undefined>;
async function writeMix(
  run: MixRun,
  first: FirstPass,
  { modes, manifestPath, recovered }: Targets,
  verdict?: () => Promise<EncodingReport>,
): Promise<MixResult | undefined> {
  const { options } = run;
  const plan = await planAdded(run, first, verdict !== undefined);
  // pass 2: stream the user records through, placing planned records by the blend plan
  const out = outputSink(options, modes, first);
  let manifestFile: AtomicFile | undefined;
  const added = new AddedRecords();
  try {
    const records = await secondPass(run, first, plan, out, added);
    if (verdict) {
      const report = await verdict();
      if (report.verdict !== 'none') {
        if (out instanceof AtomicFile) out.abort();
        return undefined;
      }
      first = { ...first, encoding: report };
    }
    const manifest = mixManifest(run, first, plan, { out, added, records, recovered });
    const { profile } = first;
    const { examples, categories } = added;
    if (options.dryRun) {
      manifest.notes.push(dryRunNote(run, manifest));
      return { manifest, profile, examples, categories, dryRun: true };
    }
    if (manifestPath) {
      manifestFile = new AtomicFile(manifestPath, { ...modes.fileOptions(manifestPath), makeDirs: true });
      writeManifest(manifestFile, manifest, added.spools());
    }
    // the output and its manifest land together or not at all
    commitTogether([...(manifestFile ? [manifestFile] : []), ...(out instanceof AtomicFile ? [out] : [])]);
    return { manifest, manifestPath, profile, examples, categories };
  } catch (e) {
    if (out instanceof AtomicFile) out.abort();
    manifestFile?.abort();
    throw writeError(e, options.output);
  } finally {
    added.close();
    plan.paraphrase?.close();
  }
}
