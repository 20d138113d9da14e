// The zod schema of `inspect --json`: the profile of a file's sample (views, field and record roles,
// templates, answer space, language, style, risk signals) and its covert-encoding analysis.
import { z } from 'zod';
import { DatasetSummarySchema } from './common.js';

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
