// The zod schema of PLAN.json (`safemix plan`): an upload split into shards, each shard's share of
// the safety records, the donor sample, the profile and the covert-encoding verdict.
import { z } from 'zod';
import { DialectSchema } from '../profile/dialects.js';
import { ContainerSchema, OrderSchema, PolicySchema, Sha256Schema } from './common.js';
import { RejectedSchema } from './manifest.js';

export const PLAN_FORMAT = 'safemix-plan';
export const PLAN_VERSION = 1;

const PlanShardSchema = z.object({
  /** 0-based position in the plan: `mix-shard --shard INDEX`. */
  index: z.number().int().min(0),
  /** The shard's path relative to the plan's directory (absolute when it lies on another root). */
  path: z.string(),
  /** The path as given to `safemix plan`, for messages. */
  name: z.string(),
  /** sha256 of the shard's bytes as stored: mix-shard refuses any other file. */
  sha256: Sha256Schema,
  bytes: z.number().int().min(0),
  records: z.number().int().min(0),
  /** Records that pass the checks (records less `rejected`). */
  usable: z.number().int().min(0),
  /** Global index of the shard's first record: the sum of the records of the shards before it. */
  recordOffset: z.number().int().min(0),
  container: ContainerSchema,
  csv: z.object({ delimiter: z.string(), header: z.boolean(), columns: z.array(z.string()) }).optional(),
  /** The bytes around and between records (base64), from the plan's scan: the output keeps them. */
  layout: z.object({
    prefix: z.string(),
    suffix: z.string(),
    separator: z.string(),
    elementIndent: z.string(),
    recordPath: z.string().optional(),
    inheritedKeys: z.array(z.string()).optional(),
  }),
  /** Records left out (`--skip-invalid`), with their shard-local index. */
  rejected: z.array(RejectedSchema),
  /** This shard's share of the global k (largest remainder, in proportion to `usable`). */
  k: z.number().int().min(0),
  /** Safety records this shard's output gets: k, or 2k under `--on-encoded mimic`. */
  injected: z.number().int().min(0),
  /** Balance examples this shard's output gets (its largest-remainder share of the upload's). */
  balance: z.number().int().min(0).default(0),
  /** Ordinal of this shard's first generated record among the upload's (new ids stay unique). */
  ordinalOffset: z.number().int().min(0),
  /** Name of the shard's random streams (donors, requests, rendering, positions). */
  stream: z.string(),
});

const PlanDonorSchema = z.object({
  shard: z.number().int().min(0),
  /** 0-based index in its shard. */
  index: z.number().int().min(0),
  /** 0-based index in the whole upload (shard's recordOffset + index). */
  global: z.number().int().min(0),
  line: z.number().int(),
  /** The record's exact bytes, base64. */
  raw: z.string(),
  /** A nested record's fields from the objects around it (not in its bytes). */
  inherited: z.record(z.string(), z.unknown()).optional(),
  /** CSV/TSV: the row's cells by column (JSON records are parsed again from `raw`). */
  cells: z.record(z.string(), z.string()).optional(),
});

export const PlanSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  tool: z.string(),
  seed: z.string(),
  /** The ratio asked (null when --count was given). */
  ratio: z.number().nullable(),
  /** The global k: max(1, round(R·N)) of the upload's N usable records, or --count. */
  k: z.number().int().min(0),
  /** Safety records the whole upload gets: k, or 2k under --on-encoded mimic. */
  injected: z.number().int().min(0),
  /** Balance examples the upload gets: round-half-up(share·k), where its answers take free text. */
  balance: z.object({ share: z.number(), count: z.number().int().min(0), skipped: z.string().optional() }).optional(),
  order: OrderSchema,
  dialect: DialectSchema,
  detection: z.object({ dialect: DialectSchema, confidence: z.number(), evidence: z.string() }),
  upload: z.object({
    /** The input content hash: sha256 of the shards' sha256 values, in plan order, one per line. */
    sha256: Sha256Schema,
    shards: z.number().int().min(1),
    records: z.number().int().min(0),
    usable: z.number().int().min(0),
    bytes: z.number().int().min(0),
  }),
  options: z.object({
    sample: z.number().int().min(1),
    input: z.string().optional(),
    target: z.string().optional(),
    context: z.array(z.string()),
    metadata: z.array(z.string()),
    lang: z.string().optional(),
    /** decline, refuse, skip or label=VALUE (see generate/answer-policy.ts). */
    closedAnswers: z.string(),
    skipInvalid: z.boolean(),
    force: z.boolean(),
    onEncoded: PolicySchema,
    detectEncoding: z.boolean(),
    maxRecordBytes: z.number().int().min(1),
    /** The form audit's mode for every shard (see mix --audit); plans written before it had none: strict. */
    audit: z.enum(['strict', 'warn']).default('strict'),
  }),
  shards: z.array(PlanShardSchema).min(1),
  /** The largest trailing number seen per top-level field across every shard (decimal text), for new ids. */
  idMax: z.record(z.string(), z.string()),
  /** The donor sample: a uniform sample of the upload's usable records (per-shard reservoirs merged without bias). */
  sample: z.object({ seed: z.string(), size: z.number().int().min(1), records: z.array(PlanDonorSchema) }),
  /** The profile of the sample (as `inspect --json` reports it) and the sha256 of its JSON text: mix-shard recomputes it and refuses a plan it cannot reproduce. */
  profile: z.record(z.string(), z.unknown()),
  profileSha256: Sha256Schema,
  /** The covert-encoding analysis over the whole upload's sample, and the policy applied at plan time. */
  encoding: z.object({
    verdict: z.enum(['none', 'suspicious', 'encoded']),
    summary: z.string(),
    policy: PolicySchema,
    report: z.record(z.string(), z.unknown()),
  }),
  safety: z.object({
    kind: z.enum(['builtin', 'file']),
    path: z.string().optional(),
    requests: z.number().int(),
    split: z.string(),
    /** A --safety file's requests, carried in the plan so that no worker needs the file. */
    seeds: z.array(z.looseObject({ id: z.string(), category: z.string(), request: z.string(), response: z.string().optional() })).optional(),
  }),
  notes: z.array(z.string()),
});
export type Plan = z.infer<typeof PlanSchema>;
export type PlanShard = z.infer<typeof PlanShardSchema>;
export type PlanDonor = z.infer<typeof PlanDonorSchema>;
