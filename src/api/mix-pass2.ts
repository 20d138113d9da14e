// mix's second pass: the user's records streamed through unchanged, as bytes, while the blend plan
// places the planned records among them; it must read exactly what pass 1 read. The output goes to
// an atomic file, standard output, or nowhere (a dry run).
import { progressGate } from '../progress-gate.js';
import { TOOL } from '../package-root.js';
import { PARALLEL_MIN_BYTES } from '../sha256.js';
import { BlendPlan } from '../blend/plan.js';
import { recordEntry } from '../generate/planner.js';
import { writeBlended } from '../write/blended-pass.js';
import { DiscardSink } from '../write/discard-sink.js';
import { AtomicFile } from '../write/atomic-file.js';
import { RecordSink, type ByteSink } from '../write/record-sink.js';
import { ParquetSink } from '../write/parquet-sink.js';
import { StdoutSink } from '../write/stdout-sink.js';
import { assertUnchanged, inputChanged, type CheckedTargets } from '../write/targets.js';
import type { Manifest } from '../schemas/manifest.js';
import { openScan } from './scan.js';
import { removeStaleSpools } from './spool.js';
import type { AddedRecords } from './mix-added.js';
import type { AddedPlan } from './mix-plan.js';
import type { FirstPass } from './mix-pass1.js';
import type { MixOptions, MixRun } from './mix-types.js';

export type OutputSink = ByteSink & { sha256(): string; bytesWritten: number };

/** Where the output goes; a large output is hashed on the worker thread, as the input is. */
export function outputSink(options: MixOptions, targets: CheckedTargets, first: FirstPass): OutputSink {
  const parallelHash = (first.scan.reader.size ?? 0) >= PARALLEL_MIN_BYTES;
  return options.dryRun
    ? new DiscardSink()
    : options.output === '-'
      ? new StdoutSink(undefined, parallelHash)
      : new AtomicFile(options.output, { ...targets.fileOptions(options.output), makeDirs: true, parallelHash });
}

/** Writes the output: the user's records and the planned ones, noted in `added`. Returns the records written. */
export async function secondPass(run: MixRun, first: FirstPass, plan: AddedPlan, out: OutputSink, added: AddedRecords): Promise<number> {
  const { path, displayName, options, choices, before } = run;
  const { seed, order } = choices;
  const { scan, records, rejected, usable, file, total, inputSha, inputCrc } = first;
  const { planner, paraphrase, serialize, addedTotal, balance } = plan;
  const container = scan.reader.container;
  // standard output honours backpressure: a slow reader slows the run instead of filling memory
  const drained = async () => {
    if (out instanceof StdoutSink && out.needsDrain) await out.drain();
  };
  let outputIndex = 0;
  if (options.keepInjected === false && total > 0) added.spoolLists(balance.count > 0);
  // pass 2 copies bytes: pass 1 already parsed, checked and listed every record. A record's bytes
  // are passed on (or their position noted) by the time the record after it is, so the read
  // blocks can be reused (ReadOptions.reuseBlocks)
  const pass2 = await openScan(path, {
    ...options,
    displayName,
    container,
    recordPath: scan.reader.layout.recordPath,
    format: scan.detection.dialect,
    header: scan.reader.csv?.header,
    delimiter: scan.reader.csv?.delimiter,
    parse: false,
    checksum: true,
    reuseBlocks: true,
  });
  // pass 2 must read exactly what pass 1 read: same records, same bytes (same size, times and
  // CRC-32: a change between the passes, by accident or by a process writing the file, is
  // caught; the CRC is not a defence against someone forging a collision, who could as well
  // write the output)
  let pass2Records = 0;
  const checkPass2 = (when: string) => {
    assertUnchanged(path, file, before, when);
    if (pass2Records !== records) throw inputChanged(file, `the input held ${records} records in the first pass and ${pass2Records} in the second`);
    if (pass2.reader.crc32() !== inputCrc) throw inputChanged(file, "the input's bytes differ between the two passes");
  };
  const rejectedAt = new Set(rejected.map((r) => r.index));
  // a Parquet file is written row by row in its schema (write/parquet-sink.ts), any other file byte by byte
  const sink = container === 'parquet' ? new ParquetSink(out, pass2.reader.parquet!, file, TOOL) : new RecordSink(out, scan.reader.layout);
  const blend = new BlendPlan(usable, addedTotal, order, `${seed}:${inputSha}`);
  const writeInjected = () => {
    const r = paraphrase ? paraphrase.take(outputIndex) : planner!.next();
    const bytes = 'bytes' in r ? r.bytes : serialize(r.value);
    sink.writeGenerated(bytes);
    const entry = recordEntry(r, outputIndex) as Manifest['injected'][number];
    added.add(entry, 'balance' in r && r.balance === true, outputIndex, bytes);
    outputIndex++;
  };
  const due = progressGate();
  if (order === 'shuffle') removeStaleSpools();
  pass2Records = await writeBlended({
    path,
    file,
    batches: pass2.batches,
    sink,
    plan: blend,
    order,
    stream: `${seed}:${inputSha}`,
    rejectedAt,
    planned: addedTotal,
    written: () => added.count,
    writeInjected,
    userWritten: () => void outputIndex++,
    pause: 'pass2',
    progress: (seen) => {
      pass2Records = seen;
      if (options.onProgress && due(seen)) {
        options.onProgress('write', pass2.reader.bytesRead, pass2.reader.size);
      }
    },
    drained,
    afterScan: (seen) => {
      pass2Records = seen;
      checkPass2('between the two passes');
    },
  });
  options.onProgress?.('write', pass2.reader.size ?? pass2.reader.bytesRead, pass2.reader.size ?? pass2.reader.bytesRead);
  if (order === 'shuffle') assertUnchanged(path, file, before, 'while the shuffled records were read back');
  sink.end(pass2.reader.layout.suffix);
  if (order !== 'shuffle') checkPass2('during the second pass');
  return outputIndex;
}
