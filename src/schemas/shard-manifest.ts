// The zod schemas of sharded mixing's manifests: the one `safemix mix-shard` writes beside each
// shard's output, and the one `safemix merge-manifests` writes for the whole upload.
import { z } from 'zod';
import { DialectSchema } from '../profile/dialects.js';
import { ContainerSchema, OrderSchema, PolicySchema, Sha256Schema } from './common.js';
import { InjectedSchema, ManifestSchema, RejectedSchema } from './manifest.js';

const ShardInjectedSchema = InjectedSchema.extend({
  /** The donor's shard (`donor` is its index in the whole upload). */
  donorShard: z.number().int().min(0),
});

/** The manifest beside one shard's output: a mix manifest of that shard, plus where it sits in the plan. */
export const ShardManifestSchema = ManifestSchema.extend({
  injected: z.array(ShardInjectedSchema),
  balanceRecords: z.array(ShardInjectedSchema).optional(),
  shard: z.object({
    index: z.number().int().min(0),
    of: z.number().int().min(1),
    /** sha256 of PLAN.json's bytes. */
    planSha256: Sha256Schema,
    uploadSha256: Sha256Schema,
    k: z.number().int().min(0),
    ordinalOffset: z.number().int().min(0),
    stream: z.string(),
  }),
});
export type ShardManifest = z.infer<typeof ShardManifestSchema>;

export const MergedManifestSchema = z.object({
  tool: z.string(),
  kind: z.literal('sharded'),
  plan: z.object({ path: z.string(), sha256: Sha256Schema }),
  upload: z.object({ sha256: Sha256Schema, shards: z.number().int().min(1), records: z.number().int(), bytes: z.number().int() }),
  dialect: DialectSchema,
  seed: z.string(),
  ratio: z.number().nullable(),
  /** The global k, and the safety records written in all (2k under --on-encoded mimic). */
  k: z.number().int(),
  count: z.number().int(),
  order: OrderSchema,
  userRecords: z.number().int(),
  output: z.object({ records: z.number().int(), bytes: z.number().int() }),
  shards: z.array(
    z.object({
      index: z.number().int().min(0),
      input: z.object({ path: z.string(), sha256: Sha256Schema, bytes: z.number().int(), records: z.number().int() }),
      output: z.object({ path: z.string(), sha256: Sha256Schema, bytes: z.number().int(), records: z.number().int() }),
      manifest: z.string(),
      container: ContainerSchema,
      k: z.number().int(),
      count: z.number().int(),
      userRecords: z.number().int(),
    }),
  ),
  drawn: z.object({
    categories: z.record(z.string(), z.number().int()),
    languages: z.record(z.string(), z.number().int()),
    languageFallbacks: z.number().int(),
  }),
  encoding: z.object({ verdict: z.string(), summary: z.string(), policy: PolicySchema }),
  notes: z.array(z.string()),
  /** Every injected record: its shard and its 0-based index in that shard's output. */
  injected: z.array(ShardInjectedSchema.extend({ shard: z.number().int().min(0) })),
  /** Balance examples, listed apart (counted apart from `count`). */
  balance: z.object({ share: z.number(), count: z.number().int(), skipped: z.string().optional() }).optional(),
  balanceRecords: z.array(ShardInjectedSchema.extend({ shard: z.number().int().min(0) })).optional(),
  rejected: z.array(RejectedSchema.extend({ shard: z.number().int().min(0) })),
});
export type MergedManifest = z.infer<typeof MergedManifestSchema>;
