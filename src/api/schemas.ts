// The zod schemas of safemix's machine-readable outputs (`--json` of validate and inspect, the mix
// manifest): scripts can rely on these shapes, and tests parse every output through them.
import { z } from 'zod';
import { DialectSchema } from '../profile/dialects.js';

export const ContainerSchema = z.enum(['jsonl', 'json-array', 'csv', 'tsv']);

export const ValidationErrorSchema = z.object({
  /** 1-based line where the record starts. */
  line: z.number().int(),
  /** 1-based CSV/TSV data row, when the file is delimited text. */
  row: z.number().int().optional(),
  /** 0-based record index. */
  record: z.number().int(),
  /** Field path inside the record (`messages[1].content`, a column name), or "" for the whole record. */
  field: z.string(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  /** What to do about it. */
  hint: z.string(),
});

export const ValidationReportSchema = z.object({
  file: z.string(),
  container: ContainerSchema,
  dialect: DialectSchema,
  dialectConfidence: z.number(),
  dialectEvidence: z.string(),
  records: z.number().int(),
  validRecords: z.number().int(),
  /** Every error and warning, up to `maxIssues`; `errorCount`/`warningCount` count them all. */
  errors: z.array(ValidationErrorSchema),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  truncated: z.boolean(),
  tokens: z.object({
    encoding: z.literal('o200k_base'),
    /** Records whose tokens were counted: a seeded sample, plus every record large enough to pass the limit. */
    counted: z.number().int(),
    p50: z.number(),
    p90: z.number(),
    p99: z.number(),
    max: z.number(),
    limit: z.number(),
    overLimit: z.number().int(),
  }),
  valid: z.boolean(),
});
export type ValidationReport = z.infer<typeof ValidationReportSchema>;
export type ValidationError = z.infer<typeof ValidationErrorSchema>;
