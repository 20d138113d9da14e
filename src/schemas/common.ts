// Pieces several output schemas share: the container names, the summary every report gives of its
// file first, a sha256 in hex, the blend order and the covert-encoding policy.
import { z } from 'zod';
import { DialectSchema } from '../profile/dialects.js';

export const ContainerSchema = z.enum(['jsonl', 'json-array', 'csv', 'tsv', 'parquet']);

/** What every report says of the file first: where it is, its container and dialect, its size. */
export const DatasetSummarySchema = z.object({
  file: z.string(),
  container: ContainerSchema,
  /** A JSON document's record path (`data[].paragraphs[].qas[]`), when its records sit deeper. */
  recordPath: z.string().optional(),
  dialect: DialectSchema,
  dialectConfidence: z.number(),
  dialectEvidence: z.string(),
  records: z.number().int(),
});

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
export const OrderSchema = z.enum(['interleave', 'append', 'shuffle']);
export const PolicySchema = z.enum(['fail', 'warn', 'mimic']);

