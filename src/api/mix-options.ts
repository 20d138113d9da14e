// The choices every way of mixing takes (mix, a multi-file mix, plan, and so mix-shard and the queue
// jobs), with their defaults, normalized in one place: a zod schema that fills in what was left out,
// so that no step holds a default of its own. What depends on the data (k, the languages, the answer
// slot's policy) is decided from these by the planner and the answer and balance policies. Values
// are checked here for their type; their ranges where they are used (injectedCount: the exact
// --ratio and --count rules, decideBalance).
import { z } from 'zod';
import { SafemixError } from '../errors.js';
import { DEFAULT_BALANCE_SHARE } from '../generate/balance-policy.js';
import { DEFAULT_SAMPLE, DEFAULT_SEED } from './sample.js';

/** The share of records added when neither --ratio nor --count is given. */
const DEFAULT_RATIO = 0.05;

const MixChoicesSchema = z.object({
  seed: z.string().default(DEFAULT_SEED),
  sample: z.number().default(DEFAULT_SAMPLE),
  order: z.enum(['interleave', 'append', 'shuffle']).default('interleave'),
  /** Safety records per user record; ignored when `count` is given. */
  ratio: z.number().default(DEFAULT_RATIO),
  count: z.number().optional(),
  balance: z.number().default(DEFAULT_BALANCE_SHARE),
  onEncoded: z.enum(['fail', 'warn', 'mimic']).default('fail'),
  audit: z.enum(['strict', 'warn']).default('strict'),
  closedAnswers: z.union([z.enum(['decline', 'refuse', 'skip']), z.object({ label: z.string() })]).default('decline'),
  engine: z.enum(['render', 'paraphrase']).default('render'),
});

export type MixChoices = z.output<typeof MixChoicesSchema>;

/** The choices of `options` with every default filled in; a wrong type is a usage error. */
export function mixChoices(options: Partial<Record<keyof MixChoices, unknown>>): MixChoices {
  const picked = Object.fromEntries(
    Object.keys(MixChoicesSchema.shape)
      .map((k) => [k, (options as Record<string, unknown>)[k]])
      .filter(([, v]) => v !== undefined),
  );
  const r = MixChoicesSchema.safeParse(picked);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new SafemixError('usage', `the option ${issue.path.join('.')} is not valid: ${issue.message}`, {
      hint: 'see safemix mix --help for the values each option takes',
    });
  }
  return r.data;
}

/** The ratio a manifest or plan records: none when an exact count was asked for. */
export function recordedRatio(c: MixChoices): number | null {
  return c.count !== undefined ? null : c.ratio;
}
