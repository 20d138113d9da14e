// The zod schema of `validate --json`: the file's summary, every error and warning with its
// position, token counts and the verdict.
import { z } from 'zod';
import { DatasetSummarySchema } from './common.js';

const ValidationErrorSchema = z.object({
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

export const ValidationReportSchema = DatasetSummarySchema.extend({
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
