// The zod schema of the manifest `safemix mix` writes beside its output: the run's input, output,
// choices and profile, every added record (InjectedSchema) and every record left out.
import { ParaphraseReportSchema, type ParaphraseReport } from '../engine/paraphrase-report.js';
import { z } from 'zod';
import { DialectSchema } from '../profile/dialects.js';
import { ContainerSchema } from './common.js';

export const InjectedSchema = z.object({
  /** 0-based index among the output's data records (a CSV header is not one). */
  index: z.number().int(),
  seedId: z.string(),
  category: z.string(),
  /** 0-based input index of the donor record whose structure was cloned. */
  donor: z.number().int(),
  /** Written in the data's own covert encoding (--on-encoded mimic). */
  encoded: z.boolean().optional(),
  /** Language of the request (ISO 639-1) and, for translation pairs, of the answer. */
  lang: z.string(),
  answerLang: z.string().optional(),
  /** The donor's language is not shipped: English was used instead. */
  langFallback: z.string().optional(),
  /** Written by the model (paraphrase engine) in `lang`, a language not shipped offline, and checked. */
  translated: z.boolean().optional(),
  /** The form audit's verdict: features checked, and each failing one (`path|feature` → why; none when it passed). */
  audit: z.object({ checked: z.number().int(), failed: z.record(z.string(), z.string()) }).optional(),
  /** What was done to every field or turn: its path → `request`, `answer`, `constant`, `id`, `context: kept (…)`, … */
  fields: z.record(z.string(), z.string()),
  /** A documented exception to "role sequences that user records have" (a plain refusal in tool-calling data). */
  exception: z.string().optional(),
});

export const RejectedSchema = z.object({
  index: z.number().int(),
  line: z.number().int(),
  row: z.number().int().optional(),
  code: z.string(),
  field: z.string(),
  message: z.string(),
});

export { ParaphraseReportSchema, type ParaphraseReport };

export const ManifestSchema = z.object({
  tool: z.string(),
  input: z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int(), records: z.number().int() }),
  output: z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int(), records: z.number().int() }),
  container: ContainerSchema,
  /** A JSON document's record path, when its records sit deeper: injected records are written at it. */
  recordPath: z.string().optional(),
  dialect: DialectSchema,
  seed: z.string(),
  ratio: z.number().nullable(),
  count: z.number().int(),
  order: z.enum(['interleave', 'append', 'shuffle']),
  engine: z.enum(['render', 'paraphrase']),
  /** The paraphrase engine's report (engine paraphrase only). */
  paraphrase: ParaphraseReportSchema.optional(),
  safetySource: z.object({ kind: z.enum(['builtin', 'file']), path: z.string().optional(), requests: z.number().int(), split: z.string() }),
  profile: z.object({
    request: z.string(),
    response: z.string().optional(),
    systemPrompts: z.string(),
    templates: z.array(z.object({ slot: z.string(), text: z.string(), coverage: z.number() })),
    answerSpace: z.string(),
    sample: z.number().int(),
  }),
  notes: z.array(z.string()),
  /** Categories and languages of the requests drawn, with counts; records whose language fell back to English. */
  drawn: z.object({
    categories: z.record(z.string(), z.number().int()),
    languages: z.record(z.string(), z.number().int()),
    languageFallbacks: z.number().int(),
  }),
  userRecords: z.number().int(),
  injected: z.array(InjectedSchema),
  /**
   * Balance examples: safe-but-sensitive prompts answered helpfully (data/balance/), a share of
   * `count` counted apart from it (output records = userRecords + count + balance.count); `skipped`
   * says why a run with a share added none.
   */
  balance: z
    .object({
      share: z.number(),
      count: z.number().int(),
      skipped: z.string().optional(),
      drawn: z.object({
        categories: z.record(z.string(), z.number().int()),
        languages: z.record(z.string(), z.number().int()),
        languageFallbacks: z.number().int(),
      }),
    })
    .optional(),
  /** The balance examples, listed apart from the safety records (same entry form). */
  balanceRecords: z.array(InjectedSchema).optional(),
  rejected: z.array(RejectedSchema),
  encoding: z.object({ verdict: z.string(), summary: z.string(), policy: z.enum(['fail', 'warn', 'mimic']) }),
  /**
   * The form audit (audit/form-audit.ts): records checked and passed, records re-planned, and the
   * set-level comparison with the user records (total-variation distance per field and feature, the
   * worst first; `over` counts those past 0.35).
   */
  audit: z
    .object({
      mode: z.enum(['strict', 'warn']),
      records: z.number().int(),
      passed: z.number().int(),
      replanned: z.number().int(),
      compared: z.number().int(),
      worst: z.array(z.object({ feature: z.string(), tv: z.number() })),
      over: z.number().int(),
      exempt: z.array(z.string()),
    })
    .optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;
