// Why a record cannot be used (a reader's problem, another dialect, a failed check), with its
// position: the first pass lists these, and copy and the probes ask the same of each record.
import type { Container, SourceRecord } from '../read/types.js';
import { classifyRecord, type Dialect } from '../profile/dialects.js';
import { validateRecord } from '../profile/validate-record.js';

/** Why a record cannot be used, with its position; `undefined` when it can. */
export function recordRejection(r: SourceRecord, dialect: Dialect, container: Container, validate: boolean): Rejection | undefined {
  if (r.problem) return reject(r, r.problem.code, r.problem.field ?? '', r.problem.message);
  if (!validate) return undefined;
  const other = dialectMismatch(r.value, dialect, container);
  if (other) return reject(r, 'dialect_mismatch', '', `this record is ${other}, but the file is ${dialect}`);
  const issue = validateRecord(dialect, r.value).find((i) => i.severity === 'error');
  return issue ? reject(r, issue.code, issue.field, issue.message) : undefined;
}

/** A record's rejection: its position and why. */
function reject(r: SourceRecord, code: string, field: string, message: string): Rejection {
  return { index: r.index, line: r.line, row: r.row, code, field, message };
}

export interface Rejection {
  index: number;
  line: number;
  row?: number;
  code: string;
  field: string;
  message: string;
}

/** Whether a record's shape disagrees with the file's dialect. */
export function dialectMismatch(value: unknown, dialect: Dialect, container: Container): Dialect | undefined {
  const d = classifyRecord(value, container);
  if (d === undefined || d === dialect || (dialect === 'text' && d === 'fields') || dialect === 'fields') return undefined;
  return d;
}
