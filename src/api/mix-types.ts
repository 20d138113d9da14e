// What `safemix mix` takes and returns as a library call (MixOptions, MixResult), and the facts of
// one run that its steps (mix-pass1.ts, mix-plan.ts, mix-pass2.ts) share.
import type { BlendOrder } from '../blend/plan.js';
import type { ClosedAnswers } from '../generate/answer-policy.js';
import type { AuditMode } from '../audit/form-audit.js';
import type { ParaphraseOptions } from '../engine/paraphrase.js';
import type { Profile } from '../profile/profile.js';
import type { FileFingerprint } from '../write/targets.js';
import type { Manifest } from '../schemas/manifest.js';
import type { SafetySourceOptions } from './safety-source.js';
import type { ScanOptions } from './scan.js';
import type { OnEncoded } from './encoding-check.js';
import type { MixChoices } from './mix-options.js';

export interface MixOptions extends ScanOptions {
  output: string;
  /** Safety records per user record (default 0.05). */
  ratio?: number;
  /** Exact number of safety records (wins over ratio). */
  count?: number;
  seed?: string;
  order?: BlendOrder;
  /** Manifest path; default `OUTPUT.manifest.json`; `false` for none. */
  manifest?: string | false;
  sample?: number;
  input?: string;
  target?: string;
  /** Fields forced to the context or metadata role. */
  context?: string[];
  metadata?: string[];
  /** Write every safety record in this language (ISO 639-1) instead of each donor's. */
  lang?: string;
  /**
   * `en`: records whose donor is in a language not shipped offline are written in English. Without
   * it, more than UNSHIPPED_MAX_SHARE of such records is declined by policy (exit 4).
   */
  langFallback?: 'en';
  /** Allow more than 10 safety records per user record. */
  force?: boolean;
  /**
   * Closed label sets (see generate/answer-policy.ts): `decline` (default: the label that marks a
   * harmful request where the set has one, else declined by policy, exit 4), `{ label }` (that
   * label), `refuse` (refusal text in the label slot) or `skip` (the data left unmixed).
   */
  closedAnswers?: ClosedAnswers;
  /**
   * The form audit (audit/form-audit.ts): `strict` (default) re-plans a safety record that a user
   * record's form tells apart and stops (exit 4, nothing written) when none passes; `warn` writes the
   * best form and lists its failures in the manifest.
   */
  audit?: AuditMode;
  /**
   * Balance examples (safe-but-sensitive prompts answered helpfully, data/balance/) as a share of the
   * k safety records, added beside them (default DEFAULT_BALANCE_SHARE; 0 for none). Only where the
   * answer slot takes free text; see generate/balance-policy.ts.
   */
  balance?: number;
  /**
   * Keep the manifest's list of safety records in memory and return it in `manifest.injected`
   * (default true). False keeps it in a temp file until the manifest is written (the returned
   * `injected` is then empty; `categories` still counts them): memory then does not grow with the
   * number of safety records (the CLI and the queue workers do this).
   */
  keepInjected?: boolean;
  /** Leave out records that fail the checks (listed in the manifest) instead of stopping. */
  skipInvalid?: boolean;
  /**
   * Plan, render and audit every safety record and read the input twice as a run does, and write
   * nothing: the result's manifest is the one a run would write (its output hash and size included).
   * The paraphrase engine is not called (the records are the offline engine's).
   */
  dryRun?: boolean;
  safety?: SafetySourceOptions;
  /** Run the covert-encoding analysis (default true; the benchmark turns it off to measure its cost). */
  detectEncoding?: boolean;
  /**
   * Run the covert-encoding analysis on a worker thread while pass 2 writes, as if the data were
   * plain; the output lands only when the verdict is `none`, and is written again from the verdict
   * otherwise (output to a file, offline engine). Default false: the worker holds its own copy of
   * the sampled texts and its own heap, about 40 MB more at the run's peak; on a 1 GB file it saves
   * about the analysis's time, 1.5-2.5 s on two cores.
   */
  overlapCheck?: boolean;
  /** What to do when the data carries a covert encoding (default fail, exit 3). */
  onEncoded?: OnEncoded;
  /** `render` (default: offline) or `paraphrase` (a model rewrites each safety record; see engine/paraphrase.ts). */
  engine?: 'render' | 'paraphrase';
  /** The paraphrase engine's endpoint, model and limits (engine paraphrase). */
  paraphrase?: ParaphraseOptions;
  /** Write into a directory other users may write to (default false: refused). */
  allowSharedDir?: boolean;
  /** The most bytes read from standard input (`-`), which is spooled to a temp file (default 64 GiB). */
  maxStdinBytes?: number;
  /**
   * Progress of each step, done of total, ending at total: `profile` (the first pass, bytes),
   * `check` (the covert-encoding analysis, sampled records), `paraphrase` (records), `write` (the
   * second pass, bytes).
   */
  onProgress?: (phase: 'profile' | 'check' | 'write' | 'paraphrase', done: number, total: number | undefined) => void;
}

export interface MixResult {
  manifest: Manifest;
  manifestPath?: string;
  profile: Profile;
  /** The first rendered records as written, for the summary. */
  examples: { index: number; text: string }[];
  /** Safety records by category (also when the manifest's list was not kept in memory). */
  categories: Record<string, number>;
  /** A dry run: nothing was written (the manifest is the one a run would write). */
  dryRun?: true;
}

/** One run of mix: the input it reads twice, its options with their defaults, the input's state before pass 1. */
export interface MixRun {
  path: string;
  displayName: string;
  options: MixOptions;
  choices: MixChoices;
  /** The input's size and times when the run began: checked after each pass. */
  before: FileFingerprint;
}
