// JSON Schema (draft 2020-12) of safemix's machine-readable outputs, generated from the zod schemas
// in src/schemas/ so that they can never drift: `validate --json`, `inspect --json` and the mix
// manifest. `npm run build` writes them to schemas/*.json (shipped in the package); a test checks
// that the files there are up to date.
import { z } from 'zod';
import { InspectReportSchema } from '../schemas/inspect-report.js';
import { ManifestSchema } from '../schemas/manifest.js';
import { PlanSchema } from '../schemas/plan.js';
import { MergedManifestSchema, ShardManifestSchema } from '../schemas/shard-manifest.js';
import { ValidationReportSchema } from '../schemas/validation-report.js';

interface JsonSchemaFile {
  /** File name inside schemas/. */
  file: string;
  schema: Record<string, unknown>;
}

const SOURCES = [
  {
    file: 'validation-report.schema.json',
    zod: ValidationReportSchema,
    title: 'safemix ValidationReport',
    description: 'The report printed by `safemix validate --json` (ValidationReportSchema).',
  },
  {
    file: 'inspect-report.schema.json',
    zod: InspectReportSchema,
    title: 'safemix InspectReport',
    description: 'The profile printed by `safemix inspect --json` (InspectReportSchema).',
  },
  {
    file: 'manifest.schema.json',
    zod: ManifestSchema,
    title: 'safemix Manifest',
    description: 'The manifest `safemix mix` writes beside its output (ManifestSchema).',
  },
  {
    file: 'plan.schema.json',
    zod: PlanSchema,
    title: 'safemix Plan',
    description: 'PLAN.json, written by `safemix plan` for an upload split into shards (PlanSchema).',
  },
  {
    file: 'shard-manifest.schema.json',
    zod: ShardManifestSchema,
    title: 'safemix ShardManifest',
    description: "The manifest `safemix mix-shard` writes beside one shard's output (ShardManifestSchema).",
  },
  {
    file: 'merged-manifest.schema.json',
    zod: MergedManifestSchema,
    title: 'safemix MergedManifest',
    description: 'The manifest `safemix merge-manifests` writes for a whole sharded upload (MergedManifestSchema).',
  },
] as const;

export function jsonSchemas(): JsonSchemaFile[] {
  return SOURCES.map(({ file, zod, title, description }) => {
    const generated = z.toJSONSchema(zod, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
    const { $schema, ...rest } = generated;
    return { file, schema: { $schema, title, description, ...rest } };
  });
}

/** The text written for a schema: two-space JSON with a final newline. */
export function schemaText(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2) + '\n';
}
