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
import { firstPass } from './mix-pass1.js';
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
  const first = await firstPass(run);
  const plan = await planAdded(run, first);
  // pass 2: stream the user records through, placing planned records by the blend plan
  const out = outputSink(options, modes, first);
  let manifestFile: AtomicFile | undefined;
  const added = new AddedRecords();
  try {
    const records = await secondPass(run, first, plan, out, added);
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
