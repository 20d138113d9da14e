// What mix adds, decided between its passes: the safety source, the form audit, the planner (donor,
// language, request, refusal and fields of every safety record), the balance examples, the serializer
// and, with --engine paraphrase, the model's rewrite of every planned record.
import { SafemixError } from '../errors.js';
import { collectNow } from '../gc-pacer.js';
import { FormAudit } from '../audit/form-audit.js';
import { auditExemptions } from '../generate/audit-exemptions.js';
import { SafetyPlanner } from '../generate/planner.js';
import { unshippedDecline } from '../generate/language-policy.js';
import { decideBalance, type BalanceDecision } from '../generate/balance-policy.js';
import { releaseDonorBytes } from '../generate/render.js';
import type { Seed } from '../generate/seeds.js';
import { serializerFor } from '../write/serializer.js';
// the paraphrase engine (and its HTTP client) loads only when a run asks for it
import type { ParaphraseRun } from '../engine/paraphrase.js';
import { loadSafetySource } from './safety-source.js';
import type { MixRun } from './mix-types.js';
import type { FirstPass } from './mix-pass1.js';

export interface AddedPlan {
  /** The requests of a --safety file (none: the built-in seeds). */
  safety: Seed[] | undefined;
  audit: FormAudit | undefined;
  planner: SafetyPlanner | undefined;
  balance: BalanceDecision;
  /** Safety records and balance examples, all the records the output gets. */
  addedTotal: number;
  serialize: (value: unknown) => string;
  /** The engine that wrote the records: `render` on a dry run. */
  engine: 'render' | 'paraphrase';
  paraphrase: ParaphraseRun | undefined;
}

/** `keepDonorBytes`: the sample's bytes stay (a run that may be written again from another verdict plans from them again). */
export async function planAdded({ options, choices }: MixRun, first: FirstPass, keepDonorBytes = false): Promise<AddedPlan> {
  const { seed } = choices;
  const { scan, sample, idMax, file, scheme, donors, profile, closed, k, total, inputSha } = first;
  const container = scan.reader.container;
  const layout = scan.reader.layout;
  // the planner decides every safety record: donor, language, request, refusal, fields
  const safety = options.safety?.path ? await loadSafetySource(options.safety) : undefined;
  // text in a covert scheme has no natural language to match: its twins' plain records are English unless --lang says otherwise
  const lang = options.lang ?? (scheme ? 'en' : undefined);
  // the form audit every safety record must pass, built from the user records of the sample
  const audit =
    total > 0
      ? new FormAudit(
          donors.map((d) => d.value),
          choices.audit,
          auditExemptions(
            profile,
            closed,
            !!scheme,
            donors.map((d) => d.value),
          ),
        )
      : undefined;
  const planner =
    total > 0
      ? new SafetyPlanner(profile, donors, idMax, container, {
          seed,
          inputSha,
          lang,
          safety,
          scheme,
          file,
          labelAnswer: closed.kind === 'label' ? closed.value : undefined,
          unanswerable: closed.kind === 'unanswerable',
          audit,
        })
      : undefined;
  // never silently English: data in languages not shipped offline is declined unless asked for
  const declined = planner && unshippedDecline(planner.unshippedLanguages(), { langFallback: options.langFallback, engine: choices.engine }, file);
  if (declined) throw declined;
  // balance examples beside the refusals, where the answer slot takes free text
  const balance = decideBalance(k, choices.balance, profile.answerSpace, {
    scheme: !!scheme,
    jsonTextKey: planner?.jsonTextKey,
    summary: planner?.summarises,
  });
  planner?.setBalance({ safety: total, balance: balance.count });
  const addedTotal = total + balance.count;
  const serialize = serializerFor(container, sample, {
    elementIndent: layout.elementIndent,
    columns: scan.reader.csv?.columns ?? [],
    delimiter: scan.reader.csv?.delimiter,
    inheritedKeys: layout.inheritedKeys,
  });
  // the paraphrase engine: a model rewrites every planned record, spooled in order, before any output
  const engine = options.dryRun ? 'render' : choices.engine;
  if (engine === 'paraphrase' && !options.paraphrase?.model)
    throw new SafemixError('usage', '--engine paraphrase needs --model NAME', {
      hint: 'name a model the endpoint serves, e.g. --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-7B-Instruct',
    });
  const paraphrase: ParaphraseRun | undefined =
    engine === 'paraphrase' && planner
      ? await (
          await import('../engine/paraphrase.js')
        ).runParaphrase(
          {
            planner,
            total: addedTotal,
            sampleSize: sample.length,
            container,
            serialize,
            seed,
            file,
            onProgress: options.onProgress && ((d, t) => options.onProgress!('paraphrase', d, t)),
          },
          options.paraphrase!,
        )
      : undefined;

  // most sampled records' bytes are not needed past this point: they need not stay in memory
  // through pass 2 (the paraphrase engine quotes donors' bytes: it keeps them); nor pass 1's blocks
  if (!paraphrase && !keepDonorBytes) releaseDonorBytes(container, sample);
  collectNow();
  return { safety, audit, planner, balance, addedTotal, serialize, engine, paraphrase };
}
