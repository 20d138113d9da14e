// A checked copy (read, validate, write with nothing added): the I/O round trip every mix run is
// built on, exposed for providers who want an atomic validated copy, and measured by the benchmark.
// Fails on the first bad record, leaving nothing written.
import { SafemixError, ExitCode } from '../errors.js';
import type { SourceRecord } from '../read/types.js';
import { validateRecord } from '../profile/validate-record.js';
import type { Dialect } from '../profile/dialects.js';
import { AtomicFile, assertNotInput } from '../write/atomic-file.js';
import { RecordSink } from '../write/record-sink.js';
import { openScan, dialectMismatch, type ScanOptions } from './scan.js';

export async function copyDataset(input: string, output: string, options: ScanOptions = {}): Promise<{ records: number; bytes: number; dialect: Dialect }> {
  assertNotInput(output, [input]);
  const scan = await openScan(input, options);
  const file = new AtomicFile(output);
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
    throw e;
  }
}

/** Throws the record's first problem or first validation error, positioned. */
export function assertUsable(record: SourceRecord, dialect: Dialect, container: Parameters<typeof dialectMismatch>[2], file: string): void {
  const position = { file, line: record.line, row: record.row, record: record.index };
  if (record.problem)
    throw new SafemixError(record.problem.code, record.problem.message, { position: { ...position, field: record.problem.field }, hint: record.problem.hint, exitCode: ExitCode.invalid });
  const other = dialectMismatch(record.value, dialect, container);
  if (other) throw new SafemixError('schema', `this record is ${other}, but the file is ${dialect}`, { position, hint: "convert the record to the file's dialect or move it to its own file", exitCode: ExitCode.invalid });
  const issue = validateRecord(dialect, record.value).find((i) => i.severity === 'error');
  if (issue) throw new SafemixError('schema', `[${issue.code}] ${issue.message}`, { position: { ...position, field: issue.field }, hint: issue.hint, exitCode: ExitCode.invalid });
}
