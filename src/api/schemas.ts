// The zod schemas of safemix's machine-readable outputs (`--json` of validate and inspect, the mix
// manifest): scripts can rely on these shapes, and tests parse every output through them.
import { ParaphraseReportSchema, type ParaphraseReport } from '../engine/paraphrase-report.js';
import { z } from 'zod';
import { DialectSchema } from '../profile/dialects.js';

export const ContainerSchema = z.enum(['jsonl', 'json-array', 'csv', 'tsv', 'parquet']);

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

/** What every report says of the file first: where it is, its container and dialect, its size. */
const DatasetSummarySchema = z.object({
  file: z.string(),
  container: ContainerSchema,
  /** A JSON document's record path (`data[].paragraphs[].qas[]`), when its records sit deeper. */
  recordPath: z.string().optional(),
  dialect: DialectSchema,
  dialectConfidence: z.number(),
  dialectEvidence: z.string(),
  records: z.number().int(),
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

const EncodingSchema = z.looseObject({
  /** `encoded` when a family is carried by 5% or more of the analysed records; `suspicious` below that. */
  verdict: z.enum(['none', 'suspicious', 'encoded']),
  summary: z.string(),
  records: z.number().int(),
  flagged: z.number().int(),
  families: z.array(
    z.looseObject({
      family: z.string(),
      records: z.number().int(),
      share: z.number(),
      evidence: z.string(),
      examples: z.array(z.looseObject({ record: z.number().int(), excerpt: z.string(), decoded: z.string().optional() })),
    }),
  ),
  scheme: z.looseObject({ family: z.string(), key: z.string().optional(), shift: z.number().optional(), exact: z.boolean().optional() }).optional(),
  decodedExample: z.string().optional(),
  findings: z.array(z.looseObject({ record: z.number().int(), family: z.string(), score: z.number(), evidence: z.string() })),
});

const TemplateSchema = z.object({
  slot: z.string(),
  /** The template with `{slot}` markers. */
  text: z.string(),
  prefix: z.string(),
  suffix: z.string(),
  /** Share of sampled records (of that slot) that follow it. */
  coverage: z.number(),
  constant: z.boolean(),
});

const PercentilesSchema = z.object({ p10: z.number(), p50: z.number(), p90: z.number(), max: z.number() });

const AnswerSpaceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('label'), labels: z.array(z.object({ value: z.string(), count: z.number() })), evidence: z.string() }),
  z.object({ kind: z.literal('choice'), letters: z.array(z.string()), evidence: z.string() }),
  z.object({ kind: z.literal('number'), evidence: z.string() }),
  z.object({ kind: z.literal('list'), format: z.enum(['json', 'json-string']), itemsP50: z.number(), evidence: z.string() }),
  z.object({ kind: z.literal('json'), keys: z.array(z.string()), evidence: z.string() }),
  z.object({ kind: z.literal('code'), language: z.string(), evidence: z.string() }),
  z.object({ kind: z.literal('text'), chars: PercentilesSchema, tokens: PercentilesSchema, evidence: z.string() }),
  z.object({ kind: z.literal('none'), evidence: z.string() }),
]);

const SlotViewSchema = z.object({ slot: z.string(), role: z.string(), path: z.string() });
const ScriptSchema = z.object({ script: z.string(), language: z.string(), scripts: z.array(z.object({ script: z.string(), share: z.number() })) });

const RiskSignalSchema = z.object({
  id: z.string(),
  description: z.string(),
  /** 0-based input indices of sampled records that show it (up to 20). */
  records: z.array(z.number().int()),
  share: z.number(),
  example: z.string(),
});

export const InspectReportSchema = DatasetSummarySchema.extend({
  /** The refusal judge on the sampled records' responses: refusals (or partial) already in the user's answers. */
  answerRefusals: z.object({ judge: z.string(), responses: z.number().int(), refusals: z.number().int(), share: z.number() }).optional(),
  unusable: z.number().int(),
  unusableExamples: z.array(z.object({ line: z.number(), row: z.number().optional(), code: z.string(), message: z.string() })),
  sample: z.object({ size: z.number().int(), seed: z.string() }),
  views: z.object({ request: SlotViewSchema, response: SlotViewSchema.optional(), context: z.array(SlotViewSchema) }),
  fieldRoles: z
    .array(
      z.object({
        field: z.string(),
        path: z.array(z.union([z.string(), z.number()])),
        role: z.enum(['id', 'label', 'input', 'context', 'target', 'metadata']),
        type: z.string(),
        distinct: z.number(),
        pattern: z.string().optional(),
        labels: z.array(z.object({ value: z.string(), count: z.number() })).optional(),
        evidence: z.string(),
      }),
    )
    .optional(),
  systemPrompts: z.object({
    kind: z.enum(['absent', 'constant', 'variants']),
    variants: z.array(z.object({ text: z.string(), count: z.number(), share: z.number() })),
  }),
  templates: z.array(TemplateSchema),
  slots: z.array(z.object({ slot: z.string(), role: z.string(), templates: z.array(TemplateSchema.omit({ slot: true })) })),
  turns: z
    .object({
      sequences: z.array(z.object({ roles: z.array(z.string()), count: z.number(), share: z.number() })),
      constantTurns: z.array(z.object({ slot: z.string(), text: z.string(), coverage: z.number() })),
      tools: z.object({ names: z.array(z.string()), recordsWithTools: z.number() }),
      toolTurns: z.number(),
    })
    .optional(),
  answerSpace: AnswerSpaceSchema,
  language: z.object({
    request: ScriptSchema,
    response: ScriptSchema.optional(),
    lang: z.object({ lang: z.string(), share: z.number() }),
    translation: z.object({ source: z.string(), target: z.string(), share: z.number() }).optional(),
  }),
  /** The role of every field and turn, and what a safety record gets there (see the README's "How a safety record is rendered"). */
  roles: z.object({
    fields: z.array(
      z.object({
        key: z.string(),
        path: z.array(z.union([z.string(), z.number()])),
        role: z.enum(['request', 'answer', 'constant', 'id', 'context', 'options', 'sibling', 'metadata', 'code-entry', 'code-test', 'tools', 'rejected']),
        rule: z.string(),
        evidence: z.string(),
        source: z.number().int().optional(),
        empty: z.enum(['missing', 'string', 'null', 'list', 'object']).optional(),
        option: z.number().int().optional(),
        fill: z.number().optional(),
      }),
    ),
    conversation: z
      .object({
        questionSlot: z.string(),
        responseSlot: z.string(),
        request: z.object({ form: z.enum(['template', 'plain']), template: TemplateSchema.omit({ slot: true }).optional(), evidence: z.string() }),
        answerForm: z.enum(['fitted', 'plain']),
        answerTemplate: TemplateSchema.omit({ slot: true }).optional(),
        history: z.array(z.string()),
        system: z.object({ rule: z.enum(['absent', 'constant', 'shared-or-mode']), evidence: z.string() }),
      })
      .optional(),
    code: z.object({ language: z.string(), evidence: z.string() }).optional(),
    sections: z.object({ labels: z.array(z.string()), question: z.number().int(), answer: z.number().int(), coverage: z.number() }).optional(),
    chatTemplate: z
      .object({
        name: z.enum(['chatml', 'llama3', 'llama2', 'gemma', 'phi3', 'zephyr']),
        label: z.string(),
        parsed: z.number().int(),
        sampled: z.number().int(),
        evidence: z.string(),
        question: z.string(),
        answer: z.string(),
        system: z.number(),
        multiRound: z.number(),
      })
      .optional(),
    /** Preference pairs whose sides are messages or conversations: where the prompt and each side are. */
    preference: z
      .object({
        label: z.string(),
        prompt: z.object({ path: z.array(z.union([z.string(), z.number()])), form: z.enum(['string', 'message', 'messages']) }).optional(),
        chosen: z.object({ path: z.array(z.union([z.string(), z.number()])), form: z.enum(['string', 'message', 'messages']) }),
        rejected: z.object({ path: z.array(z.union([z.string(), z.number()])), form: z.enum(['string', 'message', 'messages']) }).optional(),
        evidence: z.string(),
      })
      .optional(),
    request: z.object({ form: z.enum(['template', 'plain']), template: TemplateSchema.omit({ slot: true }).optional(), evidence: z.string() }).optional(),
    answerTemplate: TemplateSchema.omit({ slot: true }).optional(),
  }),
  style: z.object({
    request: z.object({
      lowercase: z.boolean(),
      tokenized: z.boolean(),
      endMarks: z.number().optional(),
      lowerStarts: z.number().optional(),
      evidence: z.string(),
    }),
    answer: z.object({
      lowercase: z.boolean(),
      tokenized: z.boolean(),
      endMarks: z.number().optional(),
      lowerStarts: z.number().optional(),
      evidence: z.string(),
    }),
  }),
  riskSignals: z.array(RiskSignalSchema),
  /** Covert-encoding analysis of the sampled records (see the README's "Covert encodings"). */
  encoding: EncodingSchema,
});
export type InspectReport = z.infer<typeof InspectReportSchema>;

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
