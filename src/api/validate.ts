// `safemix validate` as a library call: one streaming pass that checks every record against the
// file's dialect, counts tokens (a seeded sample, plus every record that could pass the limit) and
// returns a report in the ValidationReport schema.
import { openScan, type ScanOptions } from './scan.js';
import { dialectMismatch } from './record-rejection.js';
import type { ValidationError, ValidationReport } from '../schemas/validation-report.js';
import { validateRecord } from '../profile/validate-record.js';
import { countRecordTokens, mayExceedTokenLimit, percentile, TOKEN_LIMIT } from '../profile/tokens.js';
import { Reservoir } from '../profile/reservoir.js';
import type { Dialect } from '../profile/dialects.js';

export interface ValidateOptions extends ScanOptions {
  /** Issues kept in the report (all are counted). Default 1000. */
  maxIssues?: number;
  /** Records whose tokens are counted for the percentiles. Default 2000. */
  tokenSample?: number;
  seed?: string;
}

export async function validateFile(path: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const maxIssues = options.maxIssues ?? 1000;
  const scan = await openScan(path, options);
  const container = scan.reader.container;
  const errors: ValidationError[] = [];
  let errorCount = 0;
  let warningCount = 0;
  let records = 0;
  let validRecords = 0;
  let overLimit = 0;
  let maxExact = 0;
  const sample = new Reservoir<{ index: number; value: unknown }>(options.tokenSample ?? 2000, options.seed ?? 'tokens');
  let dialect: Dialect | undefined;
  for await (const record of scan.records) {
    dialect ??= scan.detection.dialect;
    records++;
    const position = { line: record.line, row: record.row, record: record.index };
    const issues: Omit<ValidationError, 'line' | 'row' | 'record'>[] = [];
    if (record.problem) {
      const code = dialect === 'openai-chat' && record.problem.code === 'not_an_object' ? 'data_type' : record.problem.code;
      issues.push({ code, severity: 'error', field: record.problem.field ?? '', message: record.problem.message, hint: record.problem.hint });
    } else {
      const other = dialectMismatch(record.value, dialect, container);
      if (other)
        issues.push({
          code: 'dialect_mismatch',
          severity: 'error',
          field: '',
          message: `this record is ${other}, but the file is ${dialect}`,
          hint: "convert the record to the file's dialect or move it to its own file",
        });
      else issues.push(...validateRecord(dialect, record.value));
      const value = record.value;
      sample.offer(() => ({ index: record.index, value }));
      if (mayExceedTokenLimit(record.raw.length)) {
        const n = countRecordTokens(dialect, value);
        maxExact = Math.max(maxExact, n);
        if (n > TOKEN_LIMIT) {
          overLimit++;
          issues.push({
            code: 'too_many_tokens',
            severity: 'warning',
            field: '',
            message: `the record has ${n} tokens, over the ${TOKEN_LIMIT}-token limit: it will be truncated in training`,
            hint: 'shorten or split the record',
          });
        }
      }
    }
    let hasError = false;
    for (const issue of issues) {
      if (issue.severity === 'error') (errorCount++, (hasError = true));
      else warningCount++;
      if (errors.length < maxIssues) errors.push({ ...position, ...issue });
    }
    if (!hasError) validRecords++;
  }
  const d = dialect ?? scan.detection?.dialect ?? 'fields';
  const counts = sample.items.map(({ value }) => countRecordTokens(d, value)).sort((a, b) => a - b);
  return {
    file: scan.reader.name,
    container,
    dialect: d,
    dialectConfidence: scan.detection?.confidence ?? 0,
    dialectEvidence: scan.detection?.evidence ?? 'no records',
    records,
    validRecords,
    errors,
    errorCount,
    warningCount,
    truncated: errorCount + warningCount > errors.length,
    tokens: {
      encoding: 'o200k_base',
      counted: counts.length,
      p50: percentile(counts, 50),
      p90: percentile(counts, 90),
      p99: percentile(counts, 99),
      max: Math.max(counts.at(-1) ?? 0, maxExact),
      limit: TOKEN_LIMIT,
      overLimit,
    },
    valid: errorCount === 0,
  };
}
