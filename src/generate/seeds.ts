// The shipped safety material: harmful requests by category (data/seeds) and refusal phrasings
// (templates/refusals.json), loaded and checked with zod. Mixing uses only the `train` split; the
// `heldout` split is kept for evaluation and never rendered.
import { readFileSync } from 'node:fs';
import { packageFile } from '../package-root.js';
import { z } from 'zod';
import { SafemixError } from '../errors.js';

export const CATEGORIES = [
  'illegal_activity',
  'child_safety',
  'hate_harassment_violence',
  'malware_intrusion',
  'weapons_physical_harm',
  'economic_harm',
  'fraud_deception',
  'sexual_content',
  'political_manipulation',
  'privacy_violation',
  'unqualified_advice',
] as const;

export const SeedSchema = z.object({
  id: z.string(),
  category: z.string(),
  split: z.enum(['train', 'heldout']),
  request: z.string().min(1),
  /** Why this request is refused: one sentence naming only what this request asks for. */
  reason: z.string().min(1).optional(),
  /** A safe alternative fitted to this request, or null when none fits. */
  redirect: z.string().min(1).nullable().optional(),
  /** A response given by a bring-your-own safety source (used instead of a generated refusal). */
  response: z.string().optional(),
});
export type Seed = z.infer<typeof SeedSchema>;

export const RefusalBankSchema = z.object({
  refusals: z.array(z.object({ id: z.string(), tone: z.string(), text: z.string() })).min(1),
  reasons: z.record(z.string(), z.array(z.string()).min(1)),
  redirects: z.record(z.string(), z.array(z.string()).min(1)),
  short: z.array(z.string()).min(1),
});
export type RefusalBank = z.infer<typeof RefusalBankSchema>;


function loadJsonFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SafemixError('input_unreadable', `cannot read safemix's own data (${(e as Error).message})`, { position: { file: path }, hint: 'reinstall safemix' });
  }
}

const seedsCache = new Map<string, Seed[]>();
const bankCache = new Map<string, RefusalBank>();

/** All shipped seeds (both splits). */
export function loadSeeds(path = packageFile('data/seeds/requests.jsonl')): Seed[] {
  const cached = seedsCache.get(path);
  if (cached) return cached;
  const seeds = loadJsonFile(path)
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = SeedSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new SafemixError('schema', r.error.issues[0]!.message, { position: { file: path, line: i + 1 }, hint: 'fix the seed file' });
      return r.data;
    });
  seedsCache.set(path, seeds);
  return seeds;
}

/** Seeds that mixing may use: the train split. */
export function trainSeeds(): Seed[] {
  return loadSeeds().filter((s) => s.split === 'train');
}

export function loadRefusals(path = packageFile('templates/refusals.json')): RefusalBank {
  const cached = bankCache.get(path);
  if (cached) return cached;
  const r = RefusalBankSchema.safeParse(JSON.parse(loadJsonFile(path)));
  if (!r.success) throw new SafemixError('schema', r.error.issues[0]!.message, { position: { file: path }, hint: 'fix the refusal templates' });
  bankCache.set(path, r.data);
  return r.data;
}
