// A checked copy (read, validate, write with nothing added): the I/O round trip every mix run is
// built on, exposed for providers who want an atomic validated copy, and measured by the benchmark.
// Fails on the first bad record, leaving nothing written.
import { SafemixError, ExitCode } from '../errors.js';
import type { Container, SourceRecord } from '../read/types.js';
import type { Dialect } from '../profile/dialects.js';
import { recordRejection } from './record-rejection.js';
import { AtomicFile } from '../write/atomic-file.js';
import { writeError } from '../io/io-error.js';
import { checkTargets } from '../write/targets.js';
import { RecordSink } from '../write/record-sink.js';
import { openScan, type ScanOptions } from './scan.js';

export async function copyDataset(input: string, output: string, options: ScanOptions = {}): Promise<{ records: number; bytes: number; dialect: Dialect }> {
  const modes = checkTargets({ inputs: [{ path: input, role: 'input' }], outputs: [{ path: output, role: 'output', flag: 'the output' }] });
  const scan = await openScan(input, options);
  // a byte-for-byte copy needs record bytes, which a Parquet row does not have (mix writes Parquet)
  if (scan.reader.container === 'parquet') {
    scan.reader.close();
    throw new SafemixError('parquet_unsupported', 'a checked copy writes records byte for byte, and a Parquet file has no record bytes', {
      position: { file: scan.reader.name },
      hint: 'mix it with --count 0 for a Parquet copy',
    });
  }
  const file = new AtomicFile(output, { ...modes.fileOptions(output) });
  try {
    const sink = new RecordSink(file, scan.reader.layout);
    for await (const record of scan.records) {
      assertUsable(record, scan.detection.dialect, scan.reader.container, scan.reader.name);
      sink.writeUser(record);
    }
    sink.end(scan.reader.layout.suffix);
    file.commit();
    return { records: sink.records, bytes: file.bytesWritten, dialect: scan.detection.dialect };
  } catch (e) {
    file.abort();
    throw writeError(e, output);
  }
}

/** Throws the record's first problem or first validation error, positioned. */
function assertUsable(record: SourceRecord, dialect: Dialect, container: Container, file: string): void {
  const r = recordRejection(record, dialect, container, true);
  if (r)
    throw new SafemixError(record.problem?.code ?? 'schema', record.problem ? r.message : `[${r.code}] ${r.message}`, {
      position: { file, line: r.line, row: r.row, record: r.index, field: r.field || undefined },
      hint:
        record.problem?.hint ??
        'fix the record (safemix validate lists every problem), or pass --skip-invalid to mix to leave it out and list it in the manifest',
      exitCode: ExitCode.invalid,
    });
}
