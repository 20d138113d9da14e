// The shipped safety material: harmful requests by category and language (data/seeds), each with
// its own reason and redirect, and the refusal banks (templates/refusals/<lang>.json), loaded and
// checked with zod. Mixing uses only the `train` split; the `heldout` split is kept for evaluation
// and never rendered.
import { existsSync, readFileSync } from 'node:fs';
import { packageFile } from '../package-root.js';
import { z } from 'zod';
import { SafemixError } from '../errors.js';
import { SHIPPED_LANGUAGES } from '../profile/language.js';

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
  /** The English seed this one renders (translations only). */
  en: z.string().optional(),
  lang: z.string().optional(),
  category: z.string(),
  split: z.enum(['train', 'heldout']),
  request: z.string().min(1),
  /** Why this request is refused: one sentence naming only what this request asks for. */
  reason: z.string().min(1).optional(),
  /** A safe alternative fitted to this request, or null when none fits. */
  redirect: z.string().min(1).nullable().optional(),
  /** A response given by a bring-your-own safety source (used instead of a generated refusal). */
  response: z.string().optional(),
  /**
   * Set by hand on every seed (data/seeds/README.md): a person in danger (`emergency`), a framing
   * device in the request, a request for text (`writing`); translations carry their own `formality`.
   */
  tags: z
    .object({
      emergency: z.enum(['medical', 'self-harm', 'abuse']).nullable().optional(),
      framing: z.boolean().optional(),
      writing: z.boolean().optional(),
      formality: z.enum(['informal', 'formal', 'neutral']).optional(),
      /** Refusing it would be over-refusal (docs/seed-audit.md): never mixed, never a harmful probe. */
      helpful: z.boolean().optional(),
    })
    .optional(),
});
export type Seed = z.infer<typeof SeedSchema> & { lang?: string };

/**
 * What a refusal form says beyond declining, set by hand on every form (templates/README.md):
 * `framing`, a remark on framing, rephrasing or who is asking (said only to requests that have such
 * framing); `writing`, a verb of writing (said only to requests for text); `register`, how it
 * addresses the user (formal, informal, or neither).
 */
const FormTags = {
  framing: z.boolean().default(false),
  writing: z.boolean().default(false),
  register: z.enum(['formal', 'informal', 'neutral']).default('neutral'),
};
const ShortForm = z.union([
  z.string().transform((text) => ({ text, framing: false, writing: false, register: 'neutral' as const })),
  z.object({ text: z.string(), ...FormTags }),
]);

const RefusalBankSchema = z
  .object({
    lang: z.string(),
    refusals: z.array(z.object({ id: z.string(), form: z.enum(['short', 'medium', 'long']), tone: z.string(), ...FormTags, text: z.string() })).min(1),
    short: z.array(ShortForm).min(1),
    /** Content-free compliance phrases, the wrong options of a multiple-choice safety question. */
    compliance: z.array(z.string()).optional(),
  })
  // `short` stays the texts (as every user of the bank reads it); `shortForms` carries their tags
  .transform((b) => ({ ...b, short: b.short.map((f) => f.text), shortForms: b.short }));
export type RefusalBank = z.output<typeof RefusalBankSchema>;

function readPackageText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SafemixError('input_unreadable', `cannot read safemix's own data (${(e as Error).message})`, {
      position: { file: path },
      hint: 'reinstall safemix',
    });
  }
}

const seedsCache = new Map<string, Seed[]>();
const bankCache = new Map<string, RefusalBank>();

/** The lines of one of safemix's own JSONL files, each checked with `schema` (the line named on failure). */
function readPackageJsonl<T>(path: string, schema: z.ZodType<T>, what: string): T[] {
  return readPackageText(path)
    .split('\n')
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l.trim())
    .map(([l, i]) => {
      const r = schema.safeParse(JSON.parse(l));
      if (!r.success) throw new SafemixError('schema', r.error.issues[0]!.message, { position: { file: path, line: i + 1 }, hint: `fix the ${what}` });
      return r.data;
    });
}

/** Seeds of a JSONL file (both splits). */
function loadSeedFile(path: string): Seed[] {
  const cached = seedsCache.get(path);
  if (cached) return cached;
  const seeds = readPackageJsonl(path, SeedSchema, 'seed file');
  seedsCache.set(path, seeds);
  return seeds;
}

function seedPath(lang: string): string {
  return lang === 'en' ? packageFile('data/seeds/requests.jsonl') : packageFile(`data/seeds/i18n/${lang}.jsonl`);
}

/** Languages whose seeds and refusal bank are both shipped in this package. */
export function availableLanguages(): string[] {
  return SHIPPED_LANGUAGES.filter((l) => existsSync(seedPath(l)) && existsSync(packageFile(`templates/refusals/${l}.json`)));
}

/** All shipped seeds of a language (both splits); English by default. */
export function loadSeeds(lang = 'en'): Seed[] {
  return loadSeedFile(seedPath(lang)).map((s) => (s.lang ? s : { ...s, lang }));
}

let englishIds: Map<string, Seed> | undefined;

/** The English seed a seed renders (itself when English): the one that carries the hand-set tags. */
export function englishSeedOf(seed: Pick<Seed, 'id' | 'en'>): Seed | undefined {
  englishIds ??= new Map(loadSeedFile(seedPath('en')).map((s) => [s.id, s]));
  return englishIds.get(seed.en ?? seed.id);
}

/**
 * Seeds whose refusal is right: those the seed audit found to deserve help (`tags.helpful` on the
 * English seed) are left out of mixing and of the harmful probes, in every language.
 */
export function refusableSeeds(lang = 'en'): Seed[] {
  return loadSeeds(lang).filter((s) => englishSeedOf(s)?.tags?.helpful !== true);
}

/** Seeds that mixing may use: the train split, less those that deserve help. */
export function trainSeeds(lang = 'en'): Seed[] {
  return refusableSeeds(lang).filter((s) => s.split === 'train');
}

export function loadRefusals(lang = 'en'): RefusalBank {
  // asked once per safety record: the cache is keyed by language, before any path is built
  const cached = bankCache.get(lang);
  if (cached) return cached;
  const path = packageFile(`templates/refusals/${lang}.json`);
  const r = RefusalBankSchema.safeParse(JSON.parse(readPackageText(path)));
  if (!r.success) throw new SafemixError('schema', r.error.issues[0]!.message, { position: { file: path }, hint: 'fix the refusal bank' });
  bankCache.set(lang, r.data);
  return r.data;
}

const EmergencyReply = z.object({ id: z.string(), register: z.enum(['formal', 'informal', 'neutral']).default('neutral'), text: z.string().min(1) });
const EmergencyBankSchema = z.object({
  lang: z.string(),
  medical: z.array(EmergencyReply).min(1),
  'self-harm': z.array(EmergencyReply).min(1),
  abuse: z.array(EmergencyReply).min(1),
});
type EmergencyBank = z.output<typeof EmergencyBankSchema>;

const emergencyCache = new Map<string, EmergencyBank | undefined>();

/**
 * The caring replies for requests that describe a person in danger (templates/emergency/<lang>.json:
 * they urge immediate help, name the kind of service and the emergency number generically, and say
 * what can safely be done now). Undefined for a language without the file.
 */
export function loadEmergencyReplies(lang = 'en'): EmergencyBank | undefined {
  return loadLanguageFile(emergencyCache, `templates/emergency/${lang}.json`, EmergencyBankSchema, 'fix the emergency replies');
}

/** A shipped JSON file of one language, checked by its schema and cached; undefined when the language ships none. */
function loadLanguageFile<S extends z.ZodType>(
  cache: Map<string, z.output<S> | undefined>,
  relative: string,
  schema: S,
  hint: string,
): z.output<S> | undefined {
  if (cache.has(relative)) return cache.get(relative);
  const path = packageFile(relative);
  let value: z.output<S> | undefined;
  if (existsSync(path)) {
    const r = schema.safeParse(JSON.parse(readPackageText(path)));
    if (!r.success) throw new SafemixError('schema', r.error.issues[0]!.message, { position: { file: path }, hint });
    value = r.data;
  }
  cache.set(relative, value);
  return value;
}

/**
 * A safe-but-sensitive prompt with a short helpful answer (data/balance/<lang>.jsonl): balance
 * examples, added beside the refusals so that a model does not learn to refuse what only sounds
 * alarming (an eviction notice, a cut finger, killing a stuck process). Answers give general help
 * only, of the kind public guidance gives: no doses, no procedures.
 */
const BalanceItemSchema = z.object({
  id: z.string(),
  /** The English item this one renders (translations only). */
  en: z.string().optional(),
  lang: z.string().optional(),
  category: z.string(),
  /** The seed this need was moved from (the seed audit's `helpful` seeds), if any. */
  from: z.string().nullable().optional(),
  tags: z.object({ formality: z.enum(['informal', 'formal', 'neutral']).optional(), writing: z.boolean().optional() }).optional(),
  prompt: z.string().min(1),
  answer: z.string().min(1),
  /** One sentence of the answer's most useful point, for tasks whose answers are short. */
  short: z.string().min(1).optional(),
});
export type BalanceItem = z.infer<typeof BalanceItemSchema>;

const balanceCache = new Map<string, BalanceItem[]>();

function balancePath(lang: string): string {
  return packageFile(`data/balance/${lang}.jsonl`);
}

/** The balance items of a language ([] when it ships none). */
export function loadBalance(lang = 'en'): BalanceItem[] {
  const cached = balanceCache.get(lang);
  if (cached) return cached;
  const path = balancePath(lang);
  const items = existsSync(path) ? readPackageJsonl(path, BalanceItemSchema, 'balance file').map((b) => ({ ...b, lang: b.lang ?? lang })) : [];
  balanceCache.set(lang, items);
  return items;
}

/**
 * Task-shape text of one language (templates/task-shapes/<lang>.json): third-person sentences for a
 * summary of a dialogue in which one speaker declines to help the other ({asker}, {helper}: the
 * data's own speaker tags), a speaker's short pushback after a "no", and a topic label per category.
 */
const TaskShapesSchema = z.object({
  lang: z.string(),
  declines: z.array(z.string().includes('{asker}').includes('{helper}')).min(1),
  followUps: z.array(z.string().min(1)).min(1),
  /** Per category: a short topic label and a longer one (a single label is read as both). */
  topics: z.record(
    z.string(),
    z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (typeof v === 'string' ? [v] : v)),
  ),
});
export type TaskShapes = z.output<typeof TaskShapesSchema>;

const shapesCache = new Map<string, TaskShapes | undefined>();

/** The task-shape text of a language, or undefined when it ships none. */
export function loadTaskShapes(lang = 'en'): TaskShapes | undefined {
  return loadLanguageFile(shapesCache, `templates/task-shapes/${lang}.json`, TaskShapesSchema, 'fix the task-shape text');
}
